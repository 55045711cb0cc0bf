/** The answering core's public shapes; channels format these, never compute them. */
import type { Passage } from '../corpus/passage.ts';

/** A passage as the answering core hands it on: where it stands in its document, no index id. */
export type PassageInDocument = Omit<Passage, 'id'> & {
  /** This passage's place in its document: part `part` of `parts` (1-based). */
  part: number;
  parts: number;
};

export interface RetrievedPassage extends PassageInDocument {
  passageId: number;
  /** The whole article when the passage holds only part of it. */
  articleText?: string;
  /** Fused score (RRF) used for ranking. */
  score: number;
  /** Rank and raw score in each candidate list (undefined when absent from that list). */
  lexical?: { rank: number; score: number };
  dense?: { rank: number; score: number };
}

export interface Citation extends PassageInDocument {
  /** The [n] marker used in the answer text, 1-based. The full passage text is for 原文 N. */
  n: number;
  /** The whole article when the passage holds only part of it (shown by 原文 N instead). */
  articleText?: string;
  /** The answer is this one article's, and the article answers the question whole (whole-article.ts). */
  wholeAnswer?: true;
}

export type AnswerMode = 'extractive' | 'llm';

export interface Answer {
  /** The question as the user wrote it. */
  question: string;
  /** The normalized question actually searched. */
  normalized: string;
  /** True when the question was cut to MAX_QUESTION_CHARS. */
  truncated: boolean;
  /** Plain-text answer for chat: body with [n] markers, then the source list. */
  answer: string;
  /** The answer body alone (no source list). */
  body: string;
  refused: boolean;
  /**
   * A middle answer (middle-answer.ts): the documents cover the question only in part, so the body
   * quotes the nearest rule under 资料中没有直接的答案. Neither an answer nor a refusal.
   */
  middle: boolean;
  mode: AnswerMode;
  citations: Citation[];
  retrieved: RetrievedPassage[];
  /** Why the model's answer was not used, when it was tried and rejected. */
  fallbackReason?: string;
  /** Time to answer in ms, index already loaded. */
  ms: number;
}

export interface AskOptions {
  /** The asker's previous question, for follow-ups ("那完成了多少个？"). */
  previousQuestion?: string;
  /** Skip the model even when configured (tests, `--offline`). */
  offline?: boolean;
}

export interface KnowledgeBaseStats {
  documents: number;
  passages: number;
  dense: boolean;
  embeddingModel: string | null;
  builtAt: string;
  /** Manifest generation; changes when an ingest swaps in a new index. */
  generation: string;
}

/** What channels (console, CLI, WeChat) need from the core. */
export interface Asker {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  stats(): KnowledgeBaseStats;
  /** Reloads the index if the manifest changed; returns true when a new one was swapped in. */
  reload(options?: ReloadOptions): Promise<boolean>;
}

export interface ReloadOptions {
  /**
   * Look again at a generation whose load failed, though its manifest is unchanged (staff's 重载):
   * a failure such as EMFILE or ENOMEM may not happen twice. Default false (the poller's way).
   */
  force?: boolean;
}
