import type { Logger } from '@minishop/runtime';

/** A message for one user, already rendered. */
export interface OutgoingNotification {
  userId: string;
  title: string;
  body: string;
  /** The event behind it; providers can use it as an idempotency key. */
  eventId: string;
}

/** An outbound delivery channel (email, SMS); in-app notifications are rows, not a channel. */
export interface NotificationChannel {
  readonly name: 'email' | 'sms';
  /** Hands the message to the provider; a throw is logged (the in-app notification exists anyway). */
  send(notification: OutgoingNotification): Promise<void>;
}

/** The dev channel: writes what would be sent to the log. */
export function loggingChannel(name: NotificationChannel['name'], logger: Logger): NotificationChannel {
  return {
    name,
    async send(notification) {
      logger.info({ channel: name, ...notification }, `would send ${name}`);
    },
  };
}
