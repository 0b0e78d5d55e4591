import { Link } from "react-router";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { paths } from "@/config/paths";
import { useAllDestinations } from "@/features/destinations/api/destinations";
import { useChannels, useDeleteChannel, useRotateChannelSecret } from "@/features/notifications/api/channels";
import { ChannelForm } from "@/features/notifications/components/channel-form";
import { ChannelsTable } from "@/features/notifications/components/channels-table";
import { TestChannelDialog } from "@/features/notifications/components/test-channel-dialog";
import { useAllSources } from "@/features/sources/api/sources";
import { useCrudDialogs } from "@/hooks/use-crud-dialogs";
import { useSearchPage } from "@/hooks/use-search-page";
import { useCan } from "@/lib/authorization";
import { errorMessage } from "@/lib/format";
import type { NotificationChannel } from "@/types/api";

const PAGE_SIZE = 50;

type ChannelDialog =
  | { kind: "test"; item: NotificationChannel }
  | { kind: "rotate"; item: NotificationChannel }
  | { kind: "secret"; title: string; secret: string; detail: string };

const SECRET_NOTICE = "Copy this secret now: it cannot be shown again. It is stored encrypted.";
const SECRET_DETAIL =
  "The channel signs every notification with it (webhook-signature, Standard Webhooks). Verify it on the receiving side.";

function byId(results: { id: number; name: string }[] | undefined): Map<number, string> {
  return new Map((results ?? []).map((item) => [item.id, item.name]));
}

export function NotificationChannelsRoute() {
  const { page, setPage } = useSearchPage();
  const channels = useChannels({ page, page_size: PAGE_SIZE });
  const sources = useAllSources();
  const destinations = useAllDestinations();
  const remove = useDeleteChannel();
  const rotate = useRotateChannelSecret();
  const notify = useToast();
  const dialogs = useCrudDialogs<NotificationChannel, ChannelDialog>({
    remove,
    deleted: (channel) => `Channel “${channel.name}” deleted.`,
  });
  const { dialog } = dialogs;

  const canConfigure = useCan("configure");
  const canTest = useCan("test");
  const canRotate = useCan("secrets");

  const newButton = canConfigure ? (
    <Button variant="primary" onClick={dialogs.openCreate}>
      New channel
    </Button>
  ) : undefined;

  const closeRotate = () => {
    rotate.reset();
    dialogs.close();
  };

  return (
    <>
      <PageHeader
        title="Notification channels"
        description={
          <>
            Where RelayCore tells operators of failing, disabled and recovered destinations, dead letters and signature
            failures. What was sent is under <Link to={paths.notifications} className="text-indigo-700 hover:underline">Notifications</Link>.
          </>
        }
        actions={newButton}
      />
      <ListState
        query={channels}
        loading="Loading channels…"
        errorTitle="Could not load notification channels"
        empty={
          <EmptyState title="No notification channels yet" action={newButton}>
            Add an e-mail list, a Slack channel or a webhook to hear when deliveries go wrong.
          </EmptyState>
        }
        page={page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        noun="channels"
      >
        {(results) => (
          <ChannelsTable
            channels={results}
            sourceNames={byId(sources.data?.results)}
            destinationNames={byId(destinations.data?.results)}
            onTest={canTest ? (item) => dialogs.open({ kind: "test", item }) : undefined}
            onEdit={canConfigure ? dialogs.openEdit : undefined}
            onRotate={canRotate ? (item) => dialogs.open({ kind: "rotate", item }) : undefined}
            onDelete={canConfigure ? dialogs.openDelete : undefined}
          />
        )}
      </ListState>

      {dialogs.formOpen && (
        <ChannelForm
          channel={dialogs.editing}
          sources={sources}
          destinations={destinations}
          onClose={dialogs.close}
          onSaved={(saved) => {
            notify(`Channel “${saved.name}” saved.`);
            if (saved.secret) {
              dialogs.open({ kind: "secret", title: `Signing secret for ${saved.name}`, secret: saved.secret, detail: SECRET_DETAIL });
            } else {
              dialogs.close();
            }
          }}
        />
      )}
      {dialog?.kind === "test" && <TestChannelDialog channel={dialog.item} onClose={dialogs.close} />}
      {dialog?.kind === "rotate" && (
        <ConfirmDialog
          title={`Rotate the secret of ${dialog.item.name}?`}
          confirmLabel="Rotate secret"
          tone="danger"
          pending={rotate.isPending}
          error={rotate.isError ? errorMessage(rotate.error) : undefined}
          onClose={closeRotate}
          onConfirm={() => {
            const item = dialog.item;
            rotate.mutate(item.id, {
              onSuccess: ({ secret }) => {
                rotate.reset();
                dialogs.open({ kind: "secret", title: `New signing secret for ${item.name}`, secret, detail: SECRET_DETAIL });
              },
            });
          }}
        >
          <p>
            A new secret signs every notification from now on; the current one stops at once, so update the receiver
            straight after.
          </p>
        </ConfirmDialog>
      )}
      {dialog?.kind === "secret" && (
        <SecretReveal title={dialog.title} secret={dialog.secret} detail={dialog.detail} notice={SECRET_NOTICE} onClose={dialogs.close} />
      )}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${dialog.item.name}?`}
          confirmLabel="Delete channel"
          tone="danger"
          {...dialogs.deleteProps(dialog.item)}
        >
          <p>
            Nothing more is sent to it. Its notifications stay listed (history is kept); those not sent yet are marked
            failed. Its name can be reused.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
