/**
 * The chat-model port. answer/ sees only this interface; the OpenAI-compatible adapter lives in
 * src/llm/ (STYLE: dependencies point inward), so tests and offline runs never load `openai`.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatModel {
  /** Model name, for logs. */
  readonly id: string;
  /** One non-streaming completion; returns the reply text. Throws LlmError on any failure. */
  complete(messages: ChatMessage[], options?: { signal?: AbortSignal }): Promise<string>;
}
