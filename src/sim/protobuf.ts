// Request bodies in Kubernetes' protobuf encoding. kubectl ≥ 1.2x sends `kubectl create secret
// docker-registry`, `create configmap`, `create namespace` and `create serviceaccount` as
// application/vnd.kubernetes.protobuf and does not fall back to JSON, so the simulator reads the
// few types those commands create: the "k8s\0" envelope (runtime.Unknown) around the object's
// generated message. Field numbers are those of k8s.io/api/core/v1/generated.proto.

type Obj = Record<string, unknown>;

type FieldType = 'string' | 'bytes' | 'int64' | 'bool' | { message: Schema } | { map: 'string' | 'bytes' };
interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
type Schema = Record<number, FieldSpec>;

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

const OWNER_REFERENCE: Schema = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

/** Server-set fields (uid, timestamps, managedFields) are left out: the server fills them in. */
const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  11: { name: 'labels', type: { map: 'string' } },
  12: { name: 'annotations', type: { map: 'string' } },
  13: { name: 'ownerReferences', type: { message: OWNER_REFERENCE }, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const metadata: FieldSpec = { name: 'metadata', type: { message: OBJECT_META } };

const SCHEMAS: Record<string, Schema> = {
  'v1/Secret': {
    1: metadata,
    2: { name: 'data', type: { map: 'bytes' } },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: { map: 'string' } },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ConfigMap': {
    1: metadata,
    2: { name: 'data', type: { map: 'string' } },
    3: { name: 'binaryData', type: { map: 'bytes' } },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Namespace': {
    1: metadata,
    2: { name: 'spec', type: { message: { 1: { name: 'finalizers', type: 'string', repeated: true } } } },
  },
  'v1/ServiceAccount': {
    1: metadata,
    2: {
      name: 'secrets',
      type: {
        message: {
          1: { name: 'kind', type: 'string' },
          2: { name: 'namespace', type: 'string' },
          3: { name: 'name', type: 'string' },
        },
      },
      repeated: true,
    },
    3: { name: 'imagePullSecrets', type: { message: { 1: { name: 'name', type: 'string' } } }, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
};

const TYPE_META: Schema = { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } };
const UNKNOWN: Schema = { 1: { name: 'typeMeta', type: { message: TYPE_META } }, 2: { name: 'raw', type: 'bytes' } };

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const n = Number(this.varint());
    if (this.pos + n > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skipField(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decodeMessage(buf: Buffer, schema: Schema): Obj {
  const r = new Reader(buf);
  const out: Obj = {};
  while (!r.done) {
    const tag = Number(r.varint());
    const field = schema[tag >> 3];
    const wire = tag & 7;
    if (!field) {
      r.skipField(wire);
      continue;
    }
    const t = field.type;
    let value: unknown;
    if (t === 'int64') value = Number(r.varint());
    else if (t === 'bool') value = r.varint() !== 0n;
    else if (t === 'string') value = r.bytes().toString('utf8');
    else if (t === 'bytes') value = r.bytes();
    else if ('message' in t) value = decodeMessage(r.bytes(), t.message);
    else {
      // Map entries are messages {1: key, 2: value}; bytes values travel as base64 in JSON.
      const entry = decodeMessage(r.bytes(), {
        1: { name: 'k', type: 'string' },
        2: { name: 'v', type: t.map === 'bytes' ? 'bytes' : 'string' },
      });
      const map = (out[field.name] ?? {}) as Obj;
      const v = entry['v'];
      map[String(entry['k'] ?? '')] = Buffer.isBuffer(v) ? v.toString('base64') : (v ?? '');
      out[field.name] = map;
      continue;
    }
    if (field.repeated) out[field.name] = [...((out[field.name] as unknown[] | undefined) ?? []), value];
    // Go writes every non-pointer string, empty or not; in JSON an empty one is simply absent.
    else if (value !== '') out[field.name] = value;
  }
  return out;
}

/** A protobuf request body as the JSON object it stands for; throws on types it does not know. */
export function decodeProtobufObject(body: Buffer): Obj {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('not a Kubernetes protobuf body (no k8s\\0 prefix)');
  const unknown = decodeMessage(body.subarray(4), UNKNOWN);
  const typeMeta = (unknown['typeMeta'] ?? {}) as { apiVersion?: string; kind?: string };
  const schema = SCHEMAS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!schema)
    throw new Error(`protobuf bodies of ${typeMeta.apiVersion}/${typeMeta.kind} are not supported; send JSON`);
  return {
    apiVersion: typeMeta.apiVersion,
    kind: typeMeta.kind,
    ...decodeMessage((unknown['raw'] as Buffer | undefined) ?? Buffer.alloc(0), schema),
  };
}
