import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatMessage } from "./chatApi";

/** Server → client frames of /api/office/chat/ws. */
export type ChatEvent =
  | { type: "hello"; userId: string; at: string }
  | { type: "message"; message: ChatMessage }
  | { type: "read"; roomId: string; userId: string; name: string; lastReadId: string }
  | { type: "presence"; userId: string; online: boolean; lastSeenAt: string | null }
  | { type: "typing"; roomId: string; userId: string; name: string }
  | { type: "room"; roomId: string; change: "added" | "members" | "left" }
  | { type: "pong"; at: string }
  | { type: "error"; code: string; message: string };

export type SocketStatus = "connecting" | "open" | "closed";

const PING_MS = 25_000;
const RETRY_MS = [1000, 2000, 5000, 10_000];

/**
 * The chat socket: the session cookie signs it in (same origin); it reconnects after a drop, waiting
 * longer each time, and tells the page when it is back so the page can load what it missed.
 */
export function useChatSocket(onEvent: (event: ChatEvent) => void, onReconnect: () => void) {
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const socket = useRef<WebSocket | null>(null);
  const handlers = useRef({ onEvent, onReconnect });
  handlers.current = { onEvent, onReconnect };

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let retry: number | undefined;
    let ping: number | undefined;
    let opened = false;
    const connect = () => {
      setStatus("connecting");
      const scheme = window.location.protocol === "https:" ? "wss" : "ws";
      const ws = new WebSocket(`${scheme}://${window.location.host}/api/office/chat/ws`, ["fourfold.chat"]);
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        setStatus("open");
        if (opened) handlers.current.onReconnect();
        opened = true;
        ping = window.setInterval(() => ws.send(JSON.stringify({ type: "ping" })), PING_MS);
      };
      ws.onmessage = (e) => {
        try {
          handlers.current.onEvent(JSON.parse(String(e.data)) as ChatEvent);
        } catch {
          // A frame this page does not understand is ignored.
        }
      };
      ws.onclose = () => {
        window.clearInterval(ping);
        socket.current = null;
        if (stopped) return;
        setStatus("closed");
        retry = window.setTimeout(connect, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      window.clearInterval(ping);
      socket.current?.close();
    };
  }, []);

  const sendTyping = useCallback((roomId: string) => {
    if (socket.current?.readyState === WebSocket.OPEN)
      socket.current.send(JSON.stringify({ type: "typing", roomId }));
  }, []);

  return { status, sendTyping };
}
