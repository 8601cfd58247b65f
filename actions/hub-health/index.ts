import { run } from '../../src/action/run.js';
import { main } from './main.js';

await run(main);
