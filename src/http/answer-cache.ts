/**
 * A bounded LRU cache of whole answers, in memory: an answer is a pure function of
 * its request, so a repeated request is answered with the bytes of the first.
 * Answers are keyed by their identity (the service's version, the format and the
 * canonical request: what their ETag hashes); a GET is also found by its URL and Accept header before it is
 * even validated. Only answers of one chunk are kept (streamed ones are not held
 * whole anywhere), within a budget of bytes.
 */
export interface CachedAnswer {
  body: Buffer
  /** The answer's own headers (type, ETag, caching, LR-* fields), without the ones every answer gets. */
  headers: Record<string, string | string[]>
}

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>()
  /** A GET's URL and Accept header → its answer's key. */
  private readonly urls = new Map<string, string>()
  private bytes = 0
  hits = 0
  misses = 0

  constructor (readonly maxBytes = 32 * 1024 * 1024, readonly maxEntryBytes = 256 * 1024) {}

  get (key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) {
      this.misses++
      return undefined
    }
    // Most recently used last.
    this.entries.delete(key)
    this.entries.set(key, entry)
    this.hits++
    return entry
  }

  /** The answer a GET's URL (and Accept header) had, if it is still kept. */
  forUrl (url: string): CachedAnswer | undefined {
    const key = this.urls.get(url)
    if (key === undefined) return undefined
    const entry = this.get(key)
    if (entry === undefined) this.urls.delete(url)
    return entry
  }

  set (key: string, entry: CachedAnswer, url?: string): void {
    if (this.maxBytes === 0 || entry.body.length > this.maxEntryBytes) return
    if (!this.entries.has(key)) {
      this.entries.set(key, entry)
      this.bytes += key.length + entry.body.length
    }
    if (url !== undefined) {
      if (this.urls.size > 4 * 1024 * 1024 / 256) this.urls.clear()
      this.urls.set(url, key)
    }
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(oldest)
      this.bytes -= oldest.length + old.body.length
    }
  }
}
