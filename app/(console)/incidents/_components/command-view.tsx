"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useShortcut, useShortcutHelp } from "@/app/_components/shortcuts";
import { lazyComponent } from "@/app/_components/lazy";
import { Tabs } from "@/app/_components/tabs";
import type { IncidentState } from "@/lib/incidents/incident-state";
import type { TimelinePage } from "@/lib/incidents/timeline-page";
import type { TimelineEventView } from "@/lib/incidents/views";
import { Checklists } from "./checklists";
import { IncidentHeader } from "./incident-header";
import { CloseOverrideControl, HandOverControl, ReopenControl, SeverityControl, StatusControl, type SevInfo } from "./incident-controls";
import { NoteForm } from "./note-form";
import { RolesPanel } from "./roles-panel";
import { StepRuns } from "./step-runs";
import { IncidentStore, IncidentStoreContext, useStoreValue } from "./incident-store";
import { Timeline } from "./timeline";
import { acknowledgeCommandAction } from "../actions";
import { useIncidentAction } from "./use-action";
import { useLiveEvents } from "./use-live-events";
import type { View } from "./views";

export type Me = { userId: string; canManage: boolean; canNote: boolean; canTick: boolean; canOverride: boolean };

/**
 * Server-rendered parts the view places: other areas' panels and the attached alerts. The page
 * renders a tab's panel only while that tab is open (?view=), so the server does no work for
 * what nobody looks at; switching tabs asks the server for the newly opened one.
 */
export type Slots = { alerts?: React.ReactNode; publicUpdates?: React.ReactNode; triage?: React.ReactNode; evidence?: React.ReactNode; runbookFinder?: React.ReactNode };

// Shown only while a hand-over waits for its acknowledgement.
const AcknowledgeCommand = lazyComponent(() => import("./acknowledge-command").then((m) => m.AcknowledgeCommand));

// The Details tab's code loads when the tab is first opened (or pointed at).
const DetailsPanel = lazyComponent(() => import("./details-panel").then((m) => m.DetailsPanel), <Loading what="details" />);

const PUBLIC_STATUS_WORDS = { investigating: "Investigating", identified: "Identified", monitoring: "Monitoring", resolved: "Resolved" } as const;

/** Runs after the tab switch has rendered, so the element to focus is visible. */
const afterRender = (fn: () => void) => requestAnimationFrame(() => requestAnimationFrame(fn));

/**
 * The SEV1 command view: a sticky header, the timeline with its composer, and beside it what the
 * phase needs; secondary work in tabs. Everything follows the live stream.
 */
export function CommandView(props: Props) {
  const { initialState, initialPage } = props;
  const [store] = useState(() => new IncidentStore(initialState.incident.id, initialState, initialPage));
  // Provided above the view itself, so its own actions (acknowledging) refresh it too.
  return (
    <IncidentStoreContext value={store}>
      <CommandViewBody {...props} store={store} />
    </IncidentStoreContext>
  );
}

type Props = {
  initialState: IncidentState;
  initialPage: TimelinePage;
  initialView: View;
  me: Me;
  people: { id: string; name: string; role: string }[];
  sevs: SevInfo[];
  /** Event kind → the words shown for it (app/_lib/labels.ts). */
  kindLabels: Record<string, string>;
  slots: Slots;
};

function CommandViewBody({ initialState, initialView, me, people, sevs, kindLabels, slots, store }: Props & { store: IncidentStore }) {
  const id = initialState.incident.id;
  const state = useStoreValue(store, (s) => s.state);
  // Events after what the server rendered (latestSeq) are replayed by the stream, so none is missed.
  const live = useLiveEvents({
    incidentId: id,
    after: initialState.latestSeq,
    onEvent: (event: TimelineEventView) => store.addLiveEvent(event),
    onReconnect: () => void store.invalidate(),
  });
  // Back to the tab after a while: re-read what has grown old.
  useEffect(() => {
    const back = () => document.visibilityState === "visible" && store.refreshIfOld();
    window.addEventListener("focus", back);
    document.addEventListener("visibilitychange", back);
    return () => {
      window.removeEventListener("focus", back);
      document.removeEventListener("visibilitychange", back);
    };
  }, [store]);
  const router = useRouter();
  const [view, setViewState] = useState<View>(initialView);
  const [detailsOpened, setDetailsOpened] = useState(initialView === "details");
  if (view === "details" && !detailsOpened) setDetailsOpened(true);
  const setView = (next: View) => {
    if (next === view) return;
    setViewState(next);
    const url = new URL(window.location.href);
    if (next === "command") url.searchParams.delete("view");
    else url.searchParams.set("view", next);
    router.replace(`${url.pathname}${url.search}`, { scroll: false });
  };
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const statusRef = useRef<HTMLSelectElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const publicRef = useRef<HTMLDivElement>(null);
  // What to focus once its tab is on screen (a tab's panel may still be on its way from the server,
  // then its form's code): looked for at every frame for a few seconds.
  const pendingFocus = useRef<{ find: () => HTMLElement | null | undefined; until: number } | null>(null);
  const focusIn = (target: View, find: () => HTMLElement | null | undefined) => {
    setView(target);
    const first = !pendingFocus.current;
    pendingFocus.current = { find, until: performance.now() + 5000 };
    if (first) afterRender(focusPending);
  };
  const focusPending = () => {
    const pending = pendingFocus.current;
    if (!pending) return;
    const node = pending.find();
    if (!node) {
      if (performance.now() < pending.until) requestAnimationFrame(focusPending);
      else pendingFocus.current = null;
      return;
    }
    pendingFocus.current = null;
    node.scrollIntoView({ block: "center" });
    node.focus({ preventScroll: true });
  };
  const { incident } = state;
  const closed = incident.status === "closed";
  useShortcut("n", "Write a note", () => me.canNote && focusIn("command", () => noteRef.current));
  useShortcut("s", "Change status: next stage chosen, Enter applies", () => me.canManage && focusIn("command", () => statusRef.current));
  // The new update's first field; without the form (a reader), the tab's first control. Nothing
  // while the panel or its form is still loading ([data-pending]).
  const inPublic = (selector: string) => {
    const panel = publicRef.current;
    return !panel || panel.querySelector("[data-pending]") ? null : panel.querySelector<HTMLElement>(selector);
  };
  useShortcut("u", "Public updates", () =>
    focusIn("public-updates", () => inPublic("form[aria-label='Public update'] input:not([type=hidden])") ?? inPublic("a, button")),
  );
  useShortcut("/", "Search the timeline", () => focusIn("command", () => searchRef.current));
  const ack = useIncidentAction(acknowledgeCommandAction, id);
  const acknowledge = () => !ack.pending && ack.run({ incidentId: id });
  useShortcut("a", "Acknowledge command handed to you", () => {
    if (state.pendingAcknowledgement?.userId === me.userId) acknowledge();
  });
  const help = useShortcutHelp();
  const commanders = people.filter((p) => p.role === "commander" || p.role === "admin");

  // Wide screens: timeline on the left; status, then the rest of command and the phase's panels
  // on the right. Phones: status first, then the timeline, then everything else.
  const commandTab = (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem] lg:grid-rows-[auto_1fr] xl:grid-cols-[minmax(0,1fr)_26rem]">
      {me.canManage && (
        <section aria-labelledby="command-heading" className="panel min-w-0 space-y-3 lg:col-start-2 lg:row-start-1">
          <h2 id="command-heading" className="text-lg font-semibold">Command</h2>
          <StatusControl
            ref={statusRef}
            incident={incident}
            resolveBlockedBy={state.resolveBlockedBy}
            onOpenRecovery={() => setView("triage")}
            publicOpen={!!state.publicStatus && state.publicStatus !== "resolved"}
          />
          {incident.status === "resolved" && state.publicStatus && state.publicStatus !== "resolved" && (
            <div role="alert" className="space-y-2 rounded border border-sev1 p-3 text-sm" data-testid="final-public-update">
              <p>
                Resolved here, but the status page still says <strong>{PUBLIC_STATUS_WORDS[state.publicStatus]}</strong>. Publish the final public update before closing.
              </p>
              <button type="button" className="btn-primary" onClick={() => focusIn("public-updates", () => inPublic("form[aria-label='Public update'] textarea"))}>
                Write the final public update
              </button>
            </div>
          )}
          <ReopenControl incident={incident} />
          {me.canOverride && incident.status === "resolved" && <CloseOverrideControl incident={incident} />}
        </section>
      )}
      <div className="min-w-0 space-y-4 lg:col-start-1 lg:row-span-2 lg:row-start-1">
        {me.canNote && !closed && <NoteForm ref={noteRef} incidentId={id} />}
        <Timeline ref={searchRef} store={store} me={me} kindLabels={kindLabels} />
      </div>
      <div className={`min-w-0 space-y-4 lg:col-start-2 ${me.canManage ? "lg:row-start-2" : "lg:row-span-2 lg:row-start-1"}`}>
        {me.canManage && !closed && (
          <section aria-labelledby="severity-command-heading" className="panel space-y-4">
            <h2 id="severity-command-heading" className="text-lg font-semibold">Severity and command</h2>
            <SeverityControl incident={incident} sevs={sevs} />
            <HandOverControl incident={incident} people={commanders} />
          </section>
        )}
        <Checklists incidentId={id} lists={state.checklists} canTick={me.canTick} status={incident.status} />
        <RolesPanel incident={incident} roles={state.roles} people={people} canManage={me.canManage} />
        <StepRuns runs={state.stepRuns} incidentRef={incident.ref} finder={slots.runbookFinder} />
        {slots.evidence}
      </div>
    </div>
  );

  return (
    <div className="space-y-4">
      <IncidentHeader state={state} live={live} alerts={slots.alerts} onPublicUpdates={() => setView("public-updates")} onHelp={help.show} onHelpIntent={help.preload} />
      {state.pendingAcknowledgement && (
        <AcknowledgeCommand pending={state.pendingAcknowledgement} isMe={state.pendingAcknowledgement.userId === me.userId} acknowledge={acknowledge} busy={ack.pending} result={ack.result && !ack.result.ok ? ack.result : null} />
      )}
      <Tabs
        label={`${incident.ref} views`}
        idPrefix="incident"
        selected={view}
        onSelect={(v) => setView(v as View)}
        onIntent={(v) => v === "details" && DetailsPanel.preload()}
        tabs={[
          { id: "command", label: "Command", panel: commandTab },
          { id: "public-updates", label: "Public updates", panel: <div ref={publicRef}>{slots.publicUpdates ?? <Loading what="public updates" />}</div> },
          { id: "triage", label: "Signals, freeze & recovery", panel: slots.triage ?? <Loading what="signals, freeze and recovery validation" /> },
          { id: "details", label: "Details", panel: detailsOpened ? <DetailsPanel incident={incident} summaryHtml={state.summaryHtml} people={people} /> : null },
        ]}
      />
    </div>
  );
}

function Loading({ what }: { what: string }) {
  return <p role="status" className="text-sm text-muted" data-pending>Loading {what}…</p>;
}
