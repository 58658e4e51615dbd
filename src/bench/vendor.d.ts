// benchmark.js and its two dependencies ship no types; the runner uses them untyped (runner.ts).
declare module "benchmark";
declare module "lodash";
declare module "platform";
