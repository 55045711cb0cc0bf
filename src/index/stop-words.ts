/**
 * Function words and question words that carry no topic. Kept short on purpose: BM25's idf
 * already discounts common words, and an over-long list drops useful terms such as 党 or 会.
 * Question words matter most: "多少/什么/哪些" appear in every question and in few passages, so
 * their idf would otherwise be high and pull in passages that merely contain them.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 地 得 了 着 过 是 在 和 与 及 或 而 并 也 又 都 就 还 吗 呢 吧 啊 呀 么 嘛 哦 ' +
    '把 被 让 给 对 向 从 于 以 为 之 其 此 该 这 那 这个 那个 这些 那些 这里 那里 ' +
    '我 你 他 她 它 我们 你们 他们 她们 它们 咱们 自己 ' +
    '什么 多少 哪 哪个 哪些 哪里 哪儿 怎么 怎样 怎么样 如何 为什么 为何 几 几个 多 ' +
    '是否 是不是 有没有 能否 可以 能 会 要 请问 请 问 一下 一个 有 没有 没 ' +
    '呢 啥 谁 何时 什么时候 时候 多久 吗 么 一共 总共 共 总计 大概 大约 请问 咱们 咱 俺 ' +
    // Words that ask rather than describe, found in CMRC questions that lacked them in the answer.
    '何处 何地 何人 何种 哪位 哪种 哪类 哪家 哪国 哪一 哪年 什么样 怎样 多长 多大 多高 多重 多远 ' +
    '称为 称之为 叫做 被称为 特点 注意事项 分别 主要 有些 哪儿 ' +
    // Courtesies residents wrap questions in.
    '您好 你好 您 谢谢 感谢 麻烦 劳驾 想 想问 了解 知道 告诉 问问 下 帮 帮忙 一下子 ' +
    'the a an of to in and or is are was were be what which who how when where why'
  ).split(/\s+/).filter(Boolean),
);
