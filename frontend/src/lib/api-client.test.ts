import { http, HttpResponse } from "msw";

import { server } from "@/testing/server";

import { api, ApiError, errorFromBody } from "./api-client";

describe("api client", () => {
  it("turns the contract's error shape into an ApiError with status, code, message and fields", async () => {
    server.use(
      http.post("*/api/destinations/", () =>
        HttpResponse.json(
          {
            error: {
              code: "validation_error",
              message: "The destination is invalid.",
              fields: { url: ["Refused: 10.0.0.1 is a private address."] },
            },
          },
          { status: 400 },
        ),
      ),
    );
    document.cookie = "csrftoken=abc";

    const failure = await api.post("/api/destinations/", { url: "http://10.0.0.1/" }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    const error = failure as ApiError;
    expect(error.status).toBe(400);
    expect(error.code).toBe("validation_error");
    expect(error.message).toBe("The destination is invalid.");
    expect(error.fieldError("url")).toBe("Refused: 10.0.0.1 is a private address.");
  });

  it("keeps the status of an error whose body is not the contract's shape", () => {
    const error = errorFromBody(502, "<html>Bad gateway</html>");
    expect(error.status).toBe(502);
    expect(error.code).toBe("http_error");
    expect(error.fields).toEqual({});
  });

  it("reports a request that got no answer as a network error", async () => {
    server.use(http.get("*/api/sources/", () => HttpResponse.error()));
    await expect(api.get("/api/sources/")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("sends the csrftoken cookie as X-CSRFToken on unsafe methods only", async () => {
    document.cookie = "csrftoken=token-from-cookie";
    const seen: Record<string, string | null> = {};
    server.use(
      http.get("*/api/routes/", ({ request }) => {
        seen.get = request.headers.get("X-CSRFToken");
        return HttpResponse.json({ count: 0, next: null, previous: null, results: [] });
      }),
      http.delete("*/api/routes/3/", ({ request }) => {
        seen.delete = request.headers.get("X-CSRFToken");
        return new HttpResponse(null, { status: 204 });
      }),
    );

    await api.get("/api/routes/");
    await api.delete("/api/routes/3/");

    expect(seen.get).toBeNull();
    expect(seen.delete).toBe("token-from-cookie");
  });

  it("asks /api/auth/csrf/ for a token first when there is no cookie", async () => {
    let csrfCalls = 0;
    let sent: string | null = null;
    server.use(
      http.get("*/api/auth/csrf/", () => {
        csrfCalls += 1;
        return HttpResponse.json({ csrf_token: "fresh-token" });
      }),
      http.post("*/api/auth/logout/", ({ request }) => {
        sent = request.headers.get("X-CSRFToken");
        return new HttpResponse(null, { status: 204 });
      }),
    );

    await api.post("/api/auth/logout/");

    expect(csrfCalls).toBe(1);
    expect(sent).toBe("fresh-token");
  });

  it("retries once with a fresh token when the server refuses a stale one", async () => {
    document.cookie = "csrftoken=stale";
    const tokens: (string | null)[] = [];
    server.use(
      http.get("*/api/auth/csrf/", () => HttpResponse.json({ csrf_token: "rotated" })),
      http.post("*/api/outcomes/3/replay/", ({ request }) => {
        const token = request.headers.get("X-CSRFToken");
        tokens.push(token);
        if (token === "stale") {
          return HttpResponse.json(
            { error: { code: "permission_denied", message: "CSRF Failed: CSRF token incorrect.", fields: {} } },
            { status: 403 },
          );
        }
        return HttpResponse.json({ queued: 1 });
      }),
    );

    const result = await api.post<{ queued: number }>("/api/outcomes/3/replay/");

    expect(result).toEqual({ queued: 1 });
    expect(tokens).toEqual(["stale", "rotated"]);
  });

  it("leaves empty parameters out of the query string", async () => {
    let url: URL | undefined;
    server.use(
      http.get("*/api/deliveries/", ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ count: 0, next: null, previous: null, results: [] });
      }),
    );
    await api.get("/api/deliveries/", { status: "routed", search: "", source: undefined, page: 2 });
    expect(url?.searchParams.get("status")).toBe("routed");
    expect(url?.searchParams.get("page")).toBe("2");
    expect(url?.searchParams.has("search")).toBe(false);
    expect(url?.searchParams.has("source")).toBe(false);
  });
});
