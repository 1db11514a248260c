# lr-schedules: the learning rates of timm's, torch.optim's and transformers' schedulers, over HTTP.
#   docker build -t lr-schedules . && docker run -p 3000:3000 lr-schedules

# Build: the TypeScript compiler and the other dev dependencies live here only.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds, and the sources come next.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime: production dependencies, the compiled server and the playground's files,
# run as the unprivileged node user.
FROM node:20-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 LOG_LEVEL=info
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
# The playground page, served at / (dist/app.js finds it at ../public/).
COPY public ./public
USER node
EXPOSE 3000
# Slim images have no curl: Node's own fetch asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
