/**
 * Which rooms the bot answers in (BOT_ROOMS: topics, or `*`). Topics are resolved to room ids
 * and kept current on topic changes, so renaming a room in or out of the list takes effect.
 */
export class RoomAllowlist {
  readonly #topics: Set<string>;
  readonly #all: boolean;
  /** Room id → allowed, for rooms seen so far. */
  readonly #rooms = new Map<string, boolean>();

  constructor(topics: string[]) {
    this.#all = topics.includes('*');
    this.#topics = new Set(topics.map((t) => t.trim()).filter((t) => t && t !== '*'));
  }

  /** Records a room's current topic (at login, on `room-topic`, on first message). */
  update(roomId: string, topic: string): void {
    this.#rooms.set(roomId, this.#all || this.#topics.has(topic.trim()));
  }

  /** Whether to answer in this room; `topic` resolves a room not seen before. */
  isAllowed(roomId: string, topic?: string): boolean {
    if (this.#all) return true;
    const known = this.#rooms.get(roomId);
    if (known !== undefined) return known;
    if (topic === undefined) return false;
    this.update(roomId, topic);
    return this.#rooms.get(roomId) ?? false;
  }

  /** Ids of allowed rooms seen so far. */
  allowedIds(): string[] {
    return [...this.#rooms].filter(([, ok]) => ok).map(([id]) => id);
  }
}
