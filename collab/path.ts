/** Where the app server upgrades WebSockets to the collaboration server; rooms are `${COLLAB_PATH}/<modelId>`. */
export const COLLAB_PATH = '/collab';
