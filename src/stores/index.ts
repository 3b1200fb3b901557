export type { ClaimStore, VisitorStore } from './types';
export { MemoryClaimStore, MemoryVisitorStore } from './memory';
export type { MemoryStoreOptions } from './memory';
export { FileClaimStore, FileVisitorStore } from './file';
export type { FileStoreOptions } from './file';
