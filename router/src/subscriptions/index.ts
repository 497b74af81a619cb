export * from './live-subscription';
export * from './order-event-feed';
export * from './subscription-executor';
export * from './websocket-server';
