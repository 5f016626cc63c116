import type { Ctx } from "../../kernel/http/context";
import { createNotice } from "./notices/notices.service";

/** Whom to tell about a record, and what: every staff member of the departments, and/or these people. */
export interface NoticeRequest {
  departmentIds?: string[] | undefined;
  userIds?: string[] | undefined;
  kind: string;
  title: string;
  body: string;
  link?: string | undefined;
  sourceType?: string | undefined;
  sourceId?: string | undefined;
}

export type Notifier = (ctx: Ctx, notice: NoticeRequest) => Promise<void>;

/** Office features tell people through notices (which the portal lists and the mobile app receives). */
export const notifyByNotices: Notifier = async (ctx, { departmentIds = [], userIds = [], ...notice }) => {
  for (const departmentId of new Set(departmentIds)) {
    await createNotice(ctx, { ...notice, recipientIds: { departmentId } });
  }
  if (userIds.length > 0) await createNotice(ctx, { ...notice, recipientIds: userIds });
};
