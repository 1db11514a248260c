/**
 * Python's float arithmetic as timm relies on it. Every expected value is what
 * CPython prints for the same expression.
 */
import t from 'tap'
import { floorDiv, logBase, pyFloor, pyPow } from '../../../src/schedules/core/python.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'

function pythonError (run: () => unknown): string | null {
  try {
    run()
  } catch (error) {
    if (error instanceof ScheduleError) return error.pythonError
    throw error
  }
  return 'none'
}

t.test('// is floor division on the exact quotient', async (t) => {
  t.equal(floorDiv(0.5, 0.1), 4, '0.5 // 0.1 == 4.0, where Math.floor(0.5 / 0.1) is 5')
  t.equal(Math.floor(0.5 / 0.1), 5, 'the naive floor would be wrong here')
  t.equal(floorDiv(1, 0.1), 9, '1 // 0.1 == 9.0')
  t.equal(floorDiv(0.3, 0.1), 2, '0.3 // 0.1 == 2.0')
  t.equal(floorDiv(-7, 2), -4, '-7 // 2 == -4')
  t.equal(floorDiv(7.5, 2), 3, '7.5 // 2 == 3.0')
  t.equal(floorDiv(-0.5, 0.1), -5, '-0.5 // 0.1 == -5.0')
  t.equal(floorDiv(5, 2.4), 2, '5 // 2.4 == 2.0')
  t.equal(floorDiv(12, 2.4), 5, '12 // 2.4 == 5.0')
  t.equal(floorDiv(24, 2.4), 10, '24 // 2.4 == 10.0')
  t.equal(floorDiv(2 ** 53 - 1, 3), 3002399751580330, 'exact for integers below 2^53')
  t.equal(pythonError(() => floorDiv(1, 0)), 'ZeroDivisionError', '1 // 0.0 raises ZeroDivisionError')
})

t.test('** is C pow, with Python\'s refusals', async (t) => {
  t.equal(pyPow(0.1, 3), 0.0010000000000000002, '0.1 ** 3')
  t.equal(pyPow(0.5, 10), 0.0009765625, '0.5 ** 10')
  t.equal(pyPow(0, 0), 1, '0.0 ** 0 == 1.0')
  t.equal(pyPow(-2, 3), -8, 'a negative base to an integer power')
  t.equal(pythonError(() => pyPow(0, -1)), 'ZeroDivisionError', '0.0 ** -1 raises ZeroDivisionError')
  t.equal(pythonError(() => pyPow(10, 400)), 'OverflowError', '10.0 ** 400 raises OverflowError')
  t.equal(pythonError(() => pyPow(-8, 1 / 3)), 'ValueError', '(-8.0) ** (1/3) is complex in Python: refused')
  t.equal(pyPow(10, -400), 0, 'underflow is not an error')
})

t.test('math.log(x, base) is log(x) / log(base)', async (t) => {
  t.equal(logBase(1000, 10), 2.9999999999999996, 'math.log(1000, 10), two roundings, not 3')
  t.equal(logBase(8, 2), 3, 'math.log(8, 2)')
  t.equal(logBase(0.3, 0.5), 1.7369655941662063, 'math.log(0.3, 0.5)')
  t.equal(logBase(1 - 17 / 10 * (1 - 0.5), 0.5), 2.736965594166206, 'the cycle index expression of timm at t=17')
  t.equal(pythonError(() => logBase(0, 0.5)), 'ValueError', 'math.log(0, 0.5) is a math domain error')
  t.equal(pythonError(() => logBase(-0.85, 0.5)), 'ValueError', 'a negative argument is a math domain error')
  t.equal(pythonError(() => logBase(2, 1)), 'ZeroDivisionError', 'base 1 divides by zero')
})

t.test('math.floor refuses what is not a number', async (t) => {
  t.equal(pyFloor(-0.5), -1)
  t.equal(pythonError(() => pyFloor(Infinity)), 'OverflowError')
  t.equal(pythonError(() => pyFloor(NaN)), 'ValueError')
})
