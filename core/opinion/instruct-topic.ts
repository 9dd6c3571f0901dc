// Leaders' 批示 on a 舆情 topic: the instruction goes to every department that has a case of the topic
// when it is given; each must answer it (答复批示), and until it does the instruction stays on the topic
// and in that department's queue. A topic merged into another is instructed as the one that holds it.
import type { Sql } from '../db/connect';
import { answerInstructionDepartment, insertTopicInstruction, listTopicInstructions, lockInstructionDepartment, topicCaseDepartments, type TopicInstruction } from '../db/topic-instructions';
import { getTopic } from '../db/topics';

export class TopicInstructionError extends Error {
  constructor(readonly code: 'not_found' | 'conflict' | 'forbidden', message: string) {
    super(message);
    this.name = 'TopicInstructionError';
  }
}

export async function instructTopic(sql: Sql, i: { topicId: number; text: string; author: string; authorRole: string; at?: Date }): Promise<TopicInstruction> {
  return sql.begin(async (tx) => {
    let topic = await getTopic(tx, i.topicId);
    for (let hops = 0; topic && topic.status === 'merged' && topic.mergedInto && hops < 20; hops++) topic = await getTopic(tx, Number(topic.mergedInto));
    if (!topic) throw new TopicInstructionError('not_found', `没有这个话题（编号 ${i.topicId}）`);
    const departments = await topicCaseDepartments(tx, Number(topic.id));
    if (!departments.length) throw new TopicInstructionError('conflict', '该话题的工单尚未派给任何承办单位，暂时无人可答复批示；请先派单，或在单个工单上批示');
    const id = await insertTopicInstruction(tx, {
      topicId: Number(topic.id), topicLabel: topic.label || `话题 ${topic.id}`, author: i.author, authorRole: i.authorRole, body: i.text, departments, at: i.at ?? new Date(),
    });
    return (await listTopicInstructions(tx, { id }))[0];
  });
}

/** A department answers a topic 批示 once; a second answer, or one from a department not asked, is refused. */
export async function answerTopicInstruction(sql: Sql, a: { instructionId: number; department: string; text: string; by: string; at?: Date }): Promise<TopicInstruction> {
  return sql.begin(async (tx) => {
    const [exists] = await listTopicInstructions(tx, { id: a.instructionId });
    if (!exists) throw new TopicInstructionError('not_found', `没有这条话题批示（编号 ${a.instructionId}）`);
    const row = await lockInstructionDepartment(tx, a.instructionId, a.department);
    if (!row) throw new TopicInstructionError('forbidden', '这条批示不是发给本单位的，无需答复');
    if (row.answeredAt) throw new TopicInstructionError('conflict', '本单位已答复过这条批示');
    await answerInstructionDepartment(tx, { instructionId: a.instructionId, department: a.department, answer: a.text, by: a.by, at: a.at ?? new Date() });
    return (await listTopicInstructions(tx, { id: a.instructionId }))[0];
  });
}
