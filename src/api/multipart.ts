import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

export interface Upload {
  fields: Record<string, string>;
  file?: { filename: string; mimetype: string; content: Buffer; field: string };
}

/**
 * Read a multipart/form-data request with one file and a few text fields, in any order.
 * The file is buffered up to `maxBytes`; beyond it the request fails with 413.
 */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new AppError('VALIDATION', 'Send the file as multipart/form-data', [
      { field: 'file', reason: 'expected a multipart/form-data body with a file part' },
    ]);
  }
  const upload: Upload = { fields: {} };
  for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
    if (part.type === 'file') {
      const content = await part.toBuffer();
      upload.file = { filename: part.filename, mimetype: part.mimetype, content, field: part.fieldname };
    } else if (typeof part.value === 'string') {
      upload.fields[part.fieldname] = part.value;
    }
  }
  return upload;
}
