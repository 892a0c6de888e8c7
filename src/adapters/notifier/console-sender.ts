// Prints notifications to a terminal (the demo, and runs without Telegram): the same text, tags stripped.
import type { MessageSender, OutgoingMessage } from './message-sender.js';
import { htmlToPlainText } from './render/html.js';

export class ConsoleSender implements MessageSender {
  readonly chat = 'console';

  constructor(private readonly write: (text: string) => void = (text) => console.log(text)) {}

  async send(message: OutgoingMessage, _signal?: AbortSignal): Promise<void> {
    const text = htmlToPlainText(message.text);
    const picture = message.image === undefined ? '' : `\n[chart: ${message.image.filename}, ${message.image.png.length} bytes]`;
    this.write(`${text}${picture}\n`);
  }
}
