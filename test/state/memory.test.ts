import { MemoryState } from '../../src/state/index.ts';
import { stateContract } from './contract.ts';

stateContract('memory', async (clock) => new MemoryState({ now: clock.now }));
