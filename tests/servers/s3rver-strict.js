#!/usr/bin/env node
'use strict';

// s3rver as the tests start it, made as strict as S3 in two ways s3rver 3.7.1 is not.
//
// Writes are atomic: S3 never shows a part of an object, and a GET after a PUT's 200 sees all of it.
// s3rver truncates the object file and streams into it (a concurrent GET reads a part, or nothing)
// and can answer before the bytes are written; here the bytes go to a temporary file first, which
// replaces the object only when complete.
//
// The conditional write S3 has honoured since 2024: PutObject with `If-None-Match: *` answers 412 PreconditionFailed when the key
// exists, and 409 ConditionalRequestConflict while another conditional write of the same key is
// under way (S3 asks the client to retry then). Any other If-None-Match value on a PUT is 501, as
// on S3. Without the condition a PUT overwrites silently, as before.
//
//   node s3rver-strict.js -d DIR [-a ADDRESS] [-p PORT] [-s] [--configure-bucket NAME]...
//                         [--ignore-conditional-writes]
//
// --ignore-conditional-writes keeps s3rver's own behaviour (the header is ignored and every PUT
// overwrites), to test clients against a store that predates conditional writes.
// Prints "S3rver listening on ADDRESS:PORT" once it accepts connections, like s3rver's CLI.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Readable, Transform } = require('stream');
const { pipeline } = require('stream/promises');
const S3rver = require(path.join(__dirname, 'node_modules', 's3rver'));
const S3Error = require(path.join(__dirname, 'node_modules', 's3rver', 'lib', 'models', 'error'));
const FilesystemStore = require(path.join(__dirname, 'node_modules', 's3rver', 'lib', 'stores', 'filesystem'));

let partialFiles = 0;
FilesystemStore.prototype.putObject = async function putObjectAtomically(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  // Not named like an object file: listings skip it.
  const partial = `${objectPath}.${process.pid}-${++partialFiles}.partial`;
  const md5 = crypto.createHash('md5');
  let size = 0;
  const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
  try {
    await pipeline(source,
                   new Transform({
                     transform(chunk, encoding, callback) {
                       md5.update(chunk);
                       size += chunk.length;
                       callback(null, chunk);
                     },
                   }),
                   fs.createWriteStream(partial));
    const digest = md5.digest('hex');
    await this.putMetadata(object.bucket, object.key, object.metadata, digest);
    await fs.promises.rename(partial, objectPath);
    return { size, md5: digest };
  } catch (err) {
    await fs.promises.unlink(partial).catch(() => {});
    throw err;
  }
};

function parseArguments(argv) {
  const options = { address: 'localhost', port: 4568, silent: false, configureBuckets: [] };
  let ignoreConditions = false;
  for (let i = 0; i < argv.length; ++i) {
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '-d': case '--directory': options.directory = value(); break;
      case '-a': case '--address': options.address = value(); break;
      case '-p': case '--port': options.port = Number(value()); break;
      case '-s': case '--silent': options.silent = true; break;
      case '--configure-bucket': options.configureBuckets.push({ name: value(), configs: [] }); break;
      case '--ignore-conditional-writes': ignoreConditions = true; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.directory) throw new Error('-d DIR is required');
  return { options, ignoreConditions };
}

// Path-style object address "/bucket/key..." (the tests never use virtual-hosted buckets).
function objectOf(ctx) {
  const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
  return match ? { bucket: match[1], key: decodeURIComponent(match[2]) } : null;
}

function conditionalPutMiddleware() {
  const writing = new Set(); // "bucket/key" of conditional writes under way
  return async (ctx, next) => {
    const condition = ctx.get('if-none-match');
    const target = ctx.method === 'PUT' && condition && !ctx.get('x-amz-copy-source') ? objectOf(ctx) : null;
    if (!target) return next();
    if (condition.trim() !== '*')
      throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented',
                        { Header: 'If-None-Match' });
    const id = `${target.bucket}/${target.key}`;
    if (writing.has(id)) {
      const conflict = new S3Error('ConditionalRequestConflict',
                                   'A conflicting conditional operation is currently in progress against this resource.');
      conflict.status = 409;
      throw conflict;
    }
    writing.add(id);
    try {
      if (await ctx.app.store.existsObject(target.bucket, target.key))
        throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold',
                          { Condition: 'If-None-Match' });
      await next();
    } finally {
      writing.delete(id);
    }
  };
}

async function main() {
  const { options, ignoreConditions } = parseArguments(process.argv.slice(2));
  const server = new S3rver(options);
  if (!ignoreConditions) {
    // Just before the router, after s3rver's logging, XML and vhost middleware.
    server.middleware.splice(server.middleware.length - 1, 0, conditionalPutMiddleware());
  }
  const { address, port } = await server.run();
  console.log('S3rver listening on %s:%d', address, port);
}

main().catch(err => {
  console.error(err.message || err);
  process.exit(1);
});
