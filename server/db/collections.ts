import type { Db, ObjectId } from 'mongodb';
import type { Graph } from '../../compute/graph';

export type Role = 'user' | 'admin';

/** Shared with the Auth.js MongoDB adapter, which owns `name`, `email`, `image` and `emailVerified`. */
export interface UserDoc {
  _id: ObjectId;
  email: string;
  name?: string | null;
  username?: string;
  /** username.toLowerCase(), unique: usernames differing only in case are the same name. */
  usernameLower?: string;
  image?: string | null;
  emailVerified?: Date | null;
  passwordHash?: string;
  role?: Role;
  createdAt?: Date;
  /** Bumped by sign-out and password change; a session is valid only at the version it was minted with. */
  sessionVersion?: number;
  /** Set by an administrator: sign-in, sessions, API keys, machine credentials and sockets are refused. */
  disabledAt?: Date | null;
  disabledReason?: string | null;
}

export interface ApiKeyDoc {
  _id: ObjectId;
  userId: ObjectId;
  name: string;
  /** SHA-256 of the whole key, hex; the key itself is never stored. */
  hash: string;
  /** First characters of the key, so people can tell their keys apart. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface RateLimitDoc {
  _id: string;
  count: number;
  windowStart: Date;
  expiresAt: Date;
}

export interface AuditDoc {
  _id?: ObjectId;
  at: Date;
  actorId: ObjectId | null;
  action: string;
  target?: string;
  reason?: string;
  ip?: string | null;
}

export interface ModelDoc {
  _id: ObjectId;
  ownerId: ObjectId;
  name: string;
  description?: string;
  /** Derived JSON of the graph; the Yjs document (collab/) is the source of truth and refreshes it. */
  graph: Graph;
  /** Canvas positions (and labels) by node id, derived alongside the graph. */
  layout: Record<string, { x: number; y: number; label?: string }>;
  /** The dataset it trains on: a datasets _id as hex, or a built-in id such as 'builtin:spirals'. */
  datasetId?: string;
  createdAt: Date;
  updatedAt: Date;
  /**
   * People it is shared with, the owner not counted: places taken with a conditional $inc before a
   * row is written and given back after one is deleted, so it is never below the rows and bounds them.
   */
  memberCount: number;
  /**
   * Bumped in the same update as every change that membership rows copy (name, updatedAt,
   * memberCount), so a row can tell an older copy from a newer one.
   */
  listingRev: number;
}

export type MemberRole = 'owner' | 'editor' | 'viewer';

/**
 * One person's access to one model (the owner has one too), keyed `${modelId}:${userId}` so adding
 * is an idempotent upsert. It also carries what that person's models list shows, so the list is one
 * query here; the access list (`models.collaborators`) is the rows of one model.
 */
export interface ModelMemberDoc {
  _id: string;
  modelId: ObjectId;
  userId: ObjectId;
  role: MemberRole;
  addedAt: Date;
  /** The member as the access list shows them. */
  username: string | null;
  email: string;
  ownerId: ObjectId;
  /** The owner's username (or email), as the models list shows it. */
  ownerName: string;
  /** Copied from the model (memberCount: the number of its rows that are not the owner's). */
  name: string;
  memberCount: number;
  modelUpdatedAt: Date;
  /** The model's listingRev these copies were taken at: a sync only overwrites older ones. */
  listingRev: number;
  /** Zero-padded updatedAt millis + model id: one string field that orders the list and pages it. */
  listKey: string;
}

/** A platform-wide count, kept with $inc where documents are inserted and deleted. */
export interface CounterDoc {
  _id: string;
  n: number;
}

/** One person's counts for the dashboard, kept with $inc. */
export interface UserCountersDoc {
  _id: ObjectId;
  models?: number;
  sharedWithMe?: number;
}

/** One stored file of a dataset, in the GridFS bucket 'datasets'. */
export interface DatasetFileRef {
  fileId: ObjectId;
  filename: string;
  bytes: number;
  sha256: string;
}

export interface DatasetColumnStats {
  name: string;
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Missing cells in the file (dropped rows included); 0 unless the dataset's missing-value policy lets them in. */
  missing: number;
  /** Distinct values, counted only for columns of small whole numbers and categorical columns (else null). */
  distinct: number | null;
  /** How the column is read; absent on records from before categorical columns (all numeric). Categorical columns have 0 for min, max, mean and std. */
  type?: 'numeric' | 'categorical';
}

/** How a CSV's cells are read (compute/data's CsvOptions), as the owner chose. */
export interface DatasetReading {
  missing: 'refuse' | 'drop-rows' | 'mean';
  categoricalEncoding: 'one-hot' | 'index';
  /** One per file column; 'auto' takes the detected type. */
  columnTypes: ('auto' | 'numeric' | 'categorical')[];
  /** Whether the first line holds column names; absent on older records, which read as 'auto'. */
  header?: 'auto' | 'names' | 'none';
}

export interface DatasetDoc {
  _id: ObjectId;
  ownerId: ObjectId;
  name: string;
  kind: 'csv' | 'idx';
  /** Total stored bytes (data file plus IDX labels file). */
  bytes: number;
  /** SHA-256 (hex) of the data file, as uploaded. */
  sha256: string;
  files: { data: DatasetFileRef; labels?: DatasetFileRef };
  rows: number;
  /** Columns as a table shows them: features plus the label column. */
  columns: number;
  columnNames: string[];
  featureShape: number[];
  /** 0-based index into columnNames; null when the dataset has no labels. */
  labelColumn: number | null;
  numClasses: number | null;
  classNames: string[];
  /** Fraction of rows held out for validation. */
  validationSplit: number;
  /** CSV only; absent on older records, which read as DEFAULT_READING. */
  reading?: DatasetReading;
  /** Feature scaling the training panel starts from; absent on older records, which read as 'standardize'. */
  preprocessing?: 'standardize' | 'minmax' | 'none';
  /** Rows left out for missing values under the 'drop-rows' policy. */
  droppedRows?: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One successful ledger instruction (server/ledger/): the log is append-only and the balances are a
 * view replayed from it. `_id` is the global sequence (1, 2, 3…, no gaps), `key` the idempotency key.
 */
export interface LedgerLogDoc {
  _id: number;
  /** _id >> LOG_PAGE_BITS: FerretDB v1 answers `_id > n` with a full scan, an equality on this with an index. */
  page: number;
  key: string;
  kind: string;
  /** User ids the instruction touches (programs' partiesOf), for each person's history. */
  parties: string[];
  /** The instruction's own time, not the clock of the process that appended it. */
  at: Date;
  /** programs' encodeInstruction: JSON-safe, bigints as decimal strings. */
  ins: Record<string, unknown>;
}

/** Who may append to the ledger log now: one document, taken and renewed with conditional updates. */
export interface LedgerLeaseDoc {
  _id: string;
  holder: string | null;
  expiresAt: Date;
  /** Set by an executor waiting for the lease, so a busy holder hands it over between batches. */
  wantedBy: string | null;
}

export function collections(db: Db) {
  return {
    users: db.collection<UserDoc>('users'),
    apiKeys: db.collection<ApiKeyDoc>('apiKeys'),
    rateLimits: db.collection<RateLimitDoc>('rateLimits'),
    audit: db.collection<AuditDoc>('audit'),
    models: db.collection<ModelDoc>('models'),
    modelMembers: db.collection<ModelMemberDoc>('modelMembers'),
    counters: db.collection<CounterDoc>('counters'),
    userCounters: db.collection<UserCountersDoc>('userCounters'),
    datasets: db.collection<DatasetDoc>('datasets'),
    jobs: db.collection('jobs'),
    machines: db.collection('machines'),
    ledger: db.collection('ledger'),
    ledgerLog: db.collection<LedgerLogDoc>('ledgerLog'),
    ledgerLease: db.collection<LedgerLeaseDoc>('ledgerLease'),
  };
}
