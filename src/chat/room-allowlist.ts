/**
 * Which rooms the bot answers in (BOT_ROOMS: topics, or `*`). The topic seen with each message
 * decides, not one stored earlier: wechat4u emits `login` before its contacts load, and until then
 * room.topic() returns a name made up from member names, so a topic read at login can be wrong.
 * Topics read at login, on `ready` and on `room-topic` are kept for messages whose topic could not
 * be read and for the count of allowed rooms in the logs.
 */
export class RoomAllowlist {
  readonly #topics: Set<string>;
  readonly #all: boolean;
  /** Room id → allowed, as of the last topic seen. */
  readonly #rooms = new Map<string, boolean>();

  constructor(topics: string[]) {
    this.#all = topics.includes('*');
    this.#topics = new Set(topics.map((t) => t.trim()).filter((t) => t && t !== '*'));
  }

  /** Records a room's current topic; returns whether the room is allowed under it. */
  update(roomId: string, topic: string): boolean {
    const allowed = this.#all || this.#topics.has(topic.trim());
    this.#rooms.set(roomId, allowed);
    return allowed;
  }

  /**
   * Whether to answer in this room. `topic`, the room's topic as of this message, wins over what
   * was stored; without it the last topic seen decides.
   */
  isAllowed(roomId: string, topic?: string): boolean {
    if (this.#all) return true;
    if (topic !== undefined) return this.update(roomId, topic);
    return this.#rooms.get(roomId) ?? false;
  }

  /** Ids of allowed rooms seen so far. */
  allowedIds(): string[] {
    return [...this.#rooms].filter(([, ok]) => ok).map(([id]) => id);
  }
}
