/** A calendar file the daemon will not start on: the message names the file, the line or event, and what to do. */
export class CalendarFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarFileError';
  }
}
