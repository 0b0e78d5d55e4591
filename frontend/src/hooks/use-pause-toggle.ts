// Pause or resume one item from a list page, with a toast saying what happened (and, on a
// resume, how many held outcomes were released).

import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/format";
import { releasedText } from "@/lib/pause";
import type { Pausable, Resumed } from "@/types/api";

/** The part of a TanStack mutation (it takes the item's id) that the toggle uses. */
interface IdMutation<R> {
  mutate: (id: number, options?: { onSuccess?: (answer: R) => void; onError?: (error: unknown) => void }) => void;
  isPending: boolean;
  variables?: number;
}

interface Named extends Pausable {
  id: number;
  name: string;
}

export function usePauseToggle<T extends Named>(noun: string, pause: IdMutation<T>, resume: IdMutation<Resumed<T>>) {
  const notify = useToast();
  const onError = (error: unknown) => notify(errorMessage(error), "error");
  return {
    toggle: (item: T) => {
      if (item.paused) {
        resume.mutate(item.id, {
          onSuccess: (answer) => notify(`${noun} “${item.name}” resumed.${releasedText(answer.released)}`),
          onError,
        });
      } else {
        pause.mutate(item.id, {
          onSuccess: () => notify(`${noun} “${item.name}” paused: what comes for it is held until it is resumed.`),
          onError,
        });
      }
    },
    /** Whether a pause or resume of this item is on its way. */
    pending: (item: T) =>
      (pause.isPending && pause.variables === item.id) || (resume.isPending && resume.variables === item.id),
  };
}
