export * from './network-view';
export * from './network-edit';
