/**
 * The post step's logic, on its own, for `@github/local-action` (which runs an action's TypeScript,
 * not dist/, and calls the `run` its entry points export): `npm run local-action` runs src/entry/main.ts,
 * then this. GitHub runs dist/index.js for both steps, which picks the post step by its state.
 */
export { runPost as run } from './main.js'
