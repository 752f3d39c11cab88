import { createCallerFactory, router } from './init';
import { accountRouter } from './routers/account';
import { adminRouter } from './routers/admin';
import { apiKeysRouter } from './routers/api-keys';
import { collabRouter } from './routers/collab';
import { dashboardRouter } from './routers/dashboard';
import { datasetsRouter } from './routers/datasets';
import { healthRouter } from './routers/health';
import { jobsRouter } from './routers/jobs';
import { machinesRouter } from './routers/machines';
import { modelsRouter } from './routers/models';
import { runnerRouter } from './routers/runner';
import { runsRouter } from './routers/runs';
import { versionsRouter } from './routers/versions';
import { walletRouter } from './routers/wallet';

export const appRouter = router({
  health: healthRouter,
  account: accountRouter,
  apiKeys: apiKeysRouter,
  dashboard: dashboardRouter,
  models: modelsRouter,
  datasets: datasetsRouter,
  collab: collabRouter,
  admin: adminRouter,
  machines: machinesRouter,
  jobs: jobsRouter,
  runner: runnerRouter,
  runs: runsRouter,
  wallet: walletRouter,
  versions: versionsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
