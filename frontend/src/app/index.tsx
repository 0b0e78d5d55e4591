import { RouterProvider } from "react-router";

import { queryClient, setUnauthorizedHandler } from "@/lib/react-query";

import { AppProvider } from "./provider";
import { createRouter } from "./router";

const router = createRouter();

// A 401 anywhere: back to the login page, then back here after signing in.
setUnauthorizedHandler(() => {
  const { pathname, search } = router.state.location;
  if (pathname !== "/login") {
    void router.navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
  }
});

export function App() {
  return (
    <AppProvider client={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>
  );
}
