/**
 * A small regulation and a news item, for the middle answer and the one-article note
 * (test/answer/middle-answer.test.ts) and their rendering in a channel (test/channels/console.test.ts).
 * File name → text, as buildKbFixture's `docs` takes it.
 */
export const ARCHIVE_CORPUS: Record<string, string> = {
  'dangan.md': [
    '---',
    'title: 干部人事档案工作条例',
    '---',
    '第一条 为了加强干部人事档案工作，制定本条例。',
    '第二条 本条例适用于各级党政机关的干部人事档案。',
    '第二十条 材料形成部门应当在材料形成后1个月内向干部人事档案工作机构移交材料。',
    '第二十一条 干部人事档案工作机构应当对收集的材料认真审核，一般应当在2个月内归档。',
    '第三十九条 严禁擅自将干部人事档案带出国（境）外；严禁涂改、伪造干部人事档案。',
    '第四十条 本条例由中央组织部负责解释。',
    '',
  ].join('\n'),
  'news.md': '---\ntitle: 社区动态\n---\n社区党支部组织党员开展志愿服务，为居民办实事。今年社区共组织活动12次。\n',
};
