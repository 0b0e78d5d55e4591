import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";

import { server } from "./server";

// jsdom has <dialog> but not its modal methods; these do what the browser does to `open`.
if (typeof HTMLDialogElement !== "undefined" && !("showModal" in HTMLDialogElement.prototype && HTMLDialogElement.prototype.showModal)) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute("open");
  };
}

// jsdom lays nothing out; CodeMirror measures text ranges, which may then be empty.
const rangeProto = typeof Range === "undefined" ? undefined : (Range.prototype as Partial<Range>);
if (rangeProto && typeof rangeProto.getClientRects !== "function") {
  rangeProto.getClientRects = () => [] as unknown as DOMRectList;
  rangeProto.getBoundingClientRect = () => new DOMRect();
}

function clearCookies() {
  for (const cookie of document.cookie.split(";")) {
    const name = cookie.split("=")[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  clearCookies();
});
afterAll(() => server.close());
