export * from './pool-view';
export * from './volume-view';
