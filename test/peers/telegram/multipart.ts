// Just enough multipart/form-data parsing to read what a Bot API client uploads (sendPhoto).

export interface FormFile {
  readonly filename: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

export interface FormData {
  readonly fields: Record<string, string>;
  readonly files: Record<string, FormFile>;
}

export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2]?.trim();
}

function headerValue(headers: string, name: string): string | undefined {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim();
  }
  return undefined;
}

export function parseMultipart(body: Buffer, boundary: string): FormData {
  const fields: Record<string, string> = {};
  const files: Record<string, FormFile> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  while (position >= 0) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // A part is: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const disposition = headerValue(headers, 'content-disposition') ?? '';
      const name = /name="([^"]*)"/.exec(disposition)?.[1];
      const filename = /filename="([^"]*)"/.exec(disposition)?.[1];
      if (name !== undefined && filename !== undefined) {
        const contentType = headerValue(headers, 'content-type');
        files[name] = { filename, data: Buffer.from(content), ...(contentType === undefined ? {} : { contentType }) };
      } else if (name !== undefined) {
        fields[name] = content.toString('utf8');
      }
    }
    position = next;
  }
  return { fields, files };
}
