import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express';

/** The largest upload the console reads: membership's import takes 5 MB, plus the form's other fields. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024 + 64 * 1024;

/** The file of a multipart form post, read whole. */
export interface UploadedFile {
  field: string;
  name: string;
  type: string;
  data: Buffer;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The files of a multipart form post (the console's import forms: see multipartForm). */
    uploadedFiles?: UploadedFile[];
  }
}

/**
 * Route middleware (it runs before the guards) for the console's multipart forms: reads the body
 * (at most MAX_UPLOAD_BYTES, else 413) with the platform's own parser (the Fetch API's
 * `formData()`, no extra dependency), puts the text fields in `req.body` — the CSRF guard then
 * checks `_csrf` as on any form — and the files in `req.uploadedFiles`. Only for a signed-in
 * coordinator: anyone else's post is not read at all (and the guards refuse it). Its errors
 * (thrown from the returned promise) reach the page filter like a handler's.
 */
export function multipartForm() {
  return async (req: ExpressRequest, _res: ExpressResponse, next: NextFunction): Promise<void> => {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !/^multipart\/form-data;/i.test(type) || !req.headerPerson?.coordinator) {
      return next();
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) {
      req.resume();
      throw new PayloadTooLargeException('upload too large');
    }
    const body = await readBody(req, MAX_UPLOAD_BYTES);
    let form: { fields: Record<string, string>; files: UploadedFile[] };
    try {
      form = await parseMultipart(body, type);
    } catch {
      throw new BadRequestException('not a readable multipart form');
    }
    req.body = form.fields;
    req.uploadedFiles = form.files;
    next();
  };
}

function readBody(req: ExpressRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeException('upload too large'));
      } else {
        chunks.push(chunk);
      }
    });
    req.on('error', reject);
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** A multipart/form-data body's text fields (the first of each name) and files. */
export async function parseMultipart(
  body: Buffer,
  contentType: string,
): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  const form = await new Request('http://portal.invalid/', {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  }).formData();
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (!(field in fields)) fields[field] = value;
    } else {
      files.push({ field, name: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return { fields, files };
}

/** A multipart/form-data body of one file (what the portal sends on to membership's import). */
export async function multipartOfFile(
  field: string,
  file: UploadedFile,
): Promise<{ contentType: string; data: Buffer }> {
  const form = new FormData();
  form.append(field, new Blob([file.data], { type: file.type || 'text/csv' }), file.name || 'import.csv');
  const encoded = new Response(form);
  return {
    contentType: encoded.headers.get('content-type')!,
    data: Buffer.from(await encoded.arrayBuffer()),
  };
}
