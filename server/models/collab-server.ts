import { ObjectId, type Db } from 'mongodb';
import { createCollabServer, type CollabServer, type CollabServerOptions } from '../../collab/server/collab-server';
import { COLLAB_PATH } from '../../collab/path';
import { isAccountDisabled } from '../auth/account-disabled';
import { modelRole } from './access';
import { initialModelDoc, saveModelSnapshot } from './collab-hooks';
import { trackCollabSocket } from './collab-traffic';

/** The collaboration server wired to models: access from their lists, documents from their records. */
export function createModelCollabServer(db: Db, secret: string, overrides: Partial<CollabServerOptions> = {}): CollabServer {
  const server = createCollabServer({
    db,
    secret,
    // A disabled account's ticket (and its client's automatic reconnects) opens nothing.
    access: async (modelId, userId) => (ObjectId.isValid(userId) && (await isAccountDisabled(db, new ObjectId(userId))) ? null : modelRole(db, modelId, userId)),
    initialDoc: (modelId) => initialModelDoc(db, modelId),
    onChanged: (modelId, doc) => saveModelSnapshot(db, modelId, doc),
    path: COLLAB_PATH,
    ...overrides,
  });
  // Every socket's bytes count towards the admin health page's collaboration traffic.
  return { ...server, handleUpgrade: (req, socket, head) => (trackCollabSocket(socket), server.handleUpgrade(req, socket, head)) };
}
