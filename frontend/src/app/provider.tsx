import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { type ReactNode } from "react";

import { ToastProvider } from "@/components/ui/toast";

export function AppProvider({ client, children }: { client: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
