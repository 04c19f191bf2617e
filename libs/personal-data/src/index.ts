export * from './key-encryption-keys.js';
export { isSealedValue, type SealedValue } from './sealed-value.js';
export { PersonalDataErasedError, PersonalDataVault } from './personal-data-vault.js';
export { sealUnderRing, unsealUnderRing } from './ring-sealing.js';
export { eventUnsealer, type EventUnsealer } from './event-unsealer.js';
