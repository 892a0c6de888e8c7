// Where rendered messages go (Telegram, the console). Senders report failures as the domain's error kinds:
// TemporaryError (retry, maybe after `retryAfterMs`), RejectedError (this message will never be accepted as is),
// OperationalError (the set-up is wrong: bad token, bot blocked; retried slowly and logged loudly).

export interface OutgoingImage {
  readonly png: Buffer;
  readonly filename: string;
}

export interface OutgoingMessage {
  /** Stable across retries, so a sender can resume a message it had sent only part of. */
  readonly id: string;
  /** Telegram HTML, whatever the format. */
  readonly text: string;
  /**
   * `plain`: send it with the markup stripped (Telegram refused it as HTML). The sender strips each part it cuts from
   * the HTML, so a retry in plain text resumes after the parts the HTML attempt already delivered.
   */
  readonly format: 'html' | 'plain';
  readonly image?: OutgoingImage;
}

export interface MessageSender {
  /** The destination, for pacing: at most one message per interval goes to the same chat. */
  readonly chat: string;
  /** `signal` aborts a request in flight (shutdown); the message then counts as not sent. */
  send(message: OutgoingMessage, signal?: AbortSignal): Promise<void>;
}
