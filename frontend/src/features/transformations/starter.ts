// What a new transformation starts with, and a sample event to run it against: both show
// the contract of transform(event) by example.

export const STARTER_CODE = `// Called once per event and route. \`event\` is
//   { body, headers, event_type, source, received_at }
// Return { body, headers } (headers are merged over the outbound ones), a bare value
// (taken as the body), or null to skip this route for the event.
function transform(event) {
  if (event.event_type === "ping") {
    return null;
  }
  console.log("shaping", event.event_type, "from", event.source);
  return {
    body: {
      text: \`\${event.source}: \${event.event_type}\`,
      data: event.body,
    },
    headers: { "X-Shaped-By": "relaycore" },
  };
}
`;

export const SAMPLE_EVENT = {
  body: { ref: "refs/heads/main", repository: { full_name: "acme/api" }, pusher: { name: "octocat" } },
  headers: { "content-type": "application/json", "x-github-event": "push" },
  event_type: "push",
  source: "github",
  received_at: "2024-05-01T10:00:00Z",
};
