// The HTTP boundary for component tests: msw answers the API, nothing of ours is mocked.

import { setupServer } from "msw/node";

export const server = setupServer();
