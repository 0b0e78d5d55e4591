import { ApiError } from "./api-client";
import { createQueryClient, setUnauthorizedHandler, shouldRetry } from "./react-query";

describe("retry policy", () => {
  it.each([400, 401, 403, 404, 409, 429])("does not retry a %i", (status) => {
    expect(shouldRetry(0, new ApiError(status, "x", "x"))).toBe(false);
  });

  it("retries server errors and network failures at most twice", () => {
    const error = new ApiError(503, "http_error", "down");
    expect(shouldRetry(0, error)).toBe(true);
    expect(shouldRetry(1, error)).toBe(true);
    expect(shouldRetry(2, error)).toBe(false);
    expect(shouldRetry(0, new ApiError(0, "network_error", "offline"))).toBe(true);
  });
});

describe("a 401 anywhere", () => {
  afterEach(() => setUnauthorizedHandler(() => undefined));

  it("sends the user to login from a query and forgets cached data", async () => {
    const redirect = vi.fn();
    setUnauthorizedHandler(redirect);
    const client = createQueryClient();
    client.setQueryData(["sources", "list", {}], { results: [] });

    await client
      .fetchQuery({
        queryKey: ["deliveries"],
        queryFn: () => Promise.reject(new ApiError(401, "not_authenticated", "Sign in.")),
      })
      .catch(() => undefined);

    expect(redirect).toHaveBeenCalledTimes(1);
    expect(client.getQueryData(["sources", "list", {}])).toBeUndefined();
  });

  it("also redirects from a mutation, unless the mutation opts out (the login form)", async () => {
    const redirect = vi.fn();
    setUnauthorizedHandler(redirect);
    const client = createQueryClient();
    const unauthorized = () => Promise.reject(new ApiError(401, "authentication_failed", "Wrong password."));

    const cache = client.getMutationCache();
    await cache.build(client, { mutationFn: unauthorized, meta: { skipAuthRedirect: true } }).execute(undefined).catch(() => undefined);
    expect(redirect).not.toHaveBeenCalled();

    await cache.build(client, { mutationFn: unauthorized }).execute(undefined).catch(() => undefined);
    expect(redirect).toHaveBeenCalledTimes(1);
  });
});
