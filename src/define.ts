/**
 * Registers every voxmark element. The only module in voxmark with side effects.
 */
export {};
