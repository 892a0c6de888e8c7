// The scenarios in the order a run takes them.
import type { Scenario } from '../support/scenario.js';
import { badInput } from './bad-input.js';
import { crashAnywhere } from './crash-anywhere.js';
import { exchangeFaults } from './exchange-faults.js';
import { exitsUnderFaults } from './exits-under-faults.js';
import { crashAnywhereBybit, exchangeFaultsBybit } from './on-bybit.js';
import { ownerCommands } from './owner-commands.js';
import { providerFaults } from './provider-faults.js';
import { storeAndCache } from './store-and-cache.js';
import { telegramOutage } from './telegram-outage.js';
import { venueBehaviour } from './venue-behaviour.js';

export const SCENARIOS: readonly Scenario[] = [crashAnywhere, exchangeFaults, ownerCommands, providerFaults, storeAndCache, telegramOutage, badInput, venueBehaviour, exitsUnderFaults, crashAnywhereBybit, exchangeFaultsBybit];
