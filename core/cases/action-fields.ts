// The fields case actions take, declared once with their limits and Chinese messages: the lifecycle's
// action schema and the staff actions' forms (which add a label and a widget) are both made of these.
import { z } from 'zod';

export const reasonField = (what = '理由') =>
  z.string({ message: `请填写${what}` }).trim().min(2, `${what}至少 2 个字`).max(2000, `${what}最多 2000 字`);
export const noteField = z.string({ message: '备注须为文字' }).trim().max(2000, '备注最多 2000 字');
export const departmentIdField = z.string({ message: '请选择承办单位' }).trim().min(1, '请选择承办单位').max(100, '单位代码过长');
export const workingDaysField = z.number({ message: '请填写工作日数（数字）' }).int('工作日数须为整数').min(1, '至少 1 个工作日').max(250, '最多 250 个工作日');
export const replyTextField = z.string({ message: '请填写答复内容' }).trim().min(1, '请填写答复内容').max(20_000, '答复最多 20000 字');
