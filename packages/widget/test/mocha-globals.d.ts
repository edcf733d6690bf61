// The few mocha globals these tests use (@web/test-runner provides mocha; @types/mocha is not
// installed, and type-checking the tests should not need it).
interface MochaContext {
  skip(): never;
  timeout(ms: number): void;
}
declare function describe(title: string, fn: () => void): void;
declare function it(title: string, fn: (this: MochaContext) => unknown): void;
declare function afterEach(fn: () => unknown): void;
declare function beforeEach(fn: () => unknown): void;
