// Entry of the learner thread: worker threads do not inherit the trainer's TypeScript loader, so
// it registers tsx (as bin/three-rl.js does) before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./learnerThreadMain.ts', import.meta.url).href);
