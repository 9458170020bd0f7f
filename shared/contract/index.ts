export * from './errors';
export * from './channel';
export * from './channels';
export * from './events';
export * from './api';
export * from './app';
export * from './wire';
