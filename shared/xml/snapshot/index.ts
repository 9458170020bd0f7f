export * from './snapshot-view';
