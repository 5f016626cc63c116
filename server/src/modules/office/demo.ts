import type { Actor } from "../../kernel/access/actor";
import { rawQuery } from "../../kernel/db/db";
import type { Clock, Ctx } from "../../kernel/http/context";
import { loadActors } from "../../kernel/identity/actors";
import type { Platform } from "../../kernel/platform";
import { openLinkedRoom } from "./chat";
import { sendMessage } from "./chat/chat.service";
import { createDocument, setSealKeepers, submitDocument } from "./documents/documents.service";
import { createNotice } from "./notices/notices.service";
import { notifyByNotices } from "./notify";
import { createSupervisionItem, reportSupervisionProgress } from "./supervision/supervision.service";

const DAY = 86_400_000;

/**
 * The office as a demo visitor meets it: seal keepers in every bureau; a 区政府办公室 notice that went
 * the whole 发文 way and waits at the recipients' 签收 (the clerk's inbox); a draft waiting for the
 * leader's 核稿; supervision items in every colour; a district-wide 通知公告.
 */
export async function seedOfficeDemo(platform: Platform): Promise<void> {
  const engine = platform.workflow;
  const db = platform.db;
  const prefixes = ["云府办", "云市监", "云政数", "云民", "云城运"];
  const bureaus = new Map(
    (
      await rawQuery<{ id: string; code: string; prefix: string; path: string }>(
        db,
        "select id, code, org_prefix as prefix, path from identity.departments where org_prefix = any($1::text[])",
        [prefixes],
      )
    ).map((b) => [b.prefix, b]),
  );
  const office = bureaus.get("云府办");
  if (!office) return; // not the demo district
  const named = await loadActors(db, { usernames: ["officer", "leader", "approver", "clerk", "admin"] });
  const reviewerName = (
    await rawQuery<{ username: string }>(
      db,
      `select u.username from identity.users u join identity.departments d on d.id = u.department_id
       where d.path like $1 and 'officer' = any(u.roles) and u.username <> 'officer' order by u.username limit 1`,
      [`${office.path}%`],
    )
  )[0]?.username;
  const reviewers = reviewerName
    ? await loadActors(db, { usernames: [reviewerName] })
    : new Map<string, Actor>();
  const actor = (name: string) => named.get(name) ?? reviewers.get(name) ?? null;
  const ctxOf = (tx: Platform["db"], who: Actor | null, clock: Clock = platform.clock): Ctx => ({
    actor: who,
    requestId: "demo:office",
    ip: null,
    tx,
    clock,
    log: platform.log,
  });
  const runJobs = async () => {
    while ((await platform.jobs.runDue()) > 0) {}
  };
  /** Completes the open task at an element as the given person. */
  const complete = async (
    instanceId: string,
    elementId: string,
    who: string,
    variables: Record<string, unknown>,
  ) => {
    await db.transaction(async (tx) => {
      const ctx = ctxOf(tx, actor(who));
      const task = (await engine.openTasks(tx, instanceId)).find((t) => t.elementId === elementId);
      if (!task) throw new Error(`demo: no open ${elementId} task in ${instanceId}`);
      await engine.withInstance(ctx, instanceId, { taskId: task.id }, async (step, row) => {
        await engine.completeTask(ctx, row!, step, variables);
      });
    });
    await runJobs();
  };

  // 印章管理员: the first officer of every bureau; the demo officer keeps the 区政府办公室 seal.
  await db.transaction(async (tx) => {
    const admin = actor("admin");
    const keepers = await rawQuery<{ department_id: string; user_id: string }>(
      tx,
      `select distinct on (b.id) b.id as department_id, u.id as user_id
       from identity.departments b join identity.departments d on d.path like b.path || '%'
         join identity.users u on u.department_id = d.id
       where b.kind = 'bureau' and 'officer' = any(u.roles) and not u.disabled
       order by b.id, (u.username = 'officer') desc, u.username`,
      [],
    );
    for (const k of keepers) await setSealKeepers(ctxOf(tx, admin), k.department_id, [k.user_id]);
  });

  const recipients = ["云市监", "云政数", "云民"].flatMap((p) => {
    const b = bureaus.get(p);
    return b ? [{ departmentId: b.id, role: "main" as const }] : [];
  });
  if (reviewerName && named.has("officer") && named.has("leader")) {
    // A notice that went the whole way: 核稿, 签发 by the 副区长, 编号, 用印 by the officer, 分发.
    const sent = await db.transaction(async (tx) => {
      const ctx = ctxOf(tx, actor("officer"));
      const doc = await createDocument(ctx, {
        title: "关于做好2027年元旦春节期间安全生产和值班值守工作的通知",
        docType: "通知",
        urgency: "urgent",
        mainRecipients: ["各街道办事处", "区政府各部门、各直属机构"],
        body: [
          "为切实做好2027年元旦、春节期间安全生产和值班值守工作，确保全区社会大局和谐稳定，经区人民政府同意，现将有关事项通知如下。",
          "一、压实安全生产责任",
          "各单位要严格落实安全生产属地管理责任和部门监管责任，节前组织开展一次全面安全检查，重点排查人员密集场所、燃气、消防、道路交通等领域隐患，做到隐患不消除不放过。",
          "二、严格值班值守",
          "节日期间实行领导带班和24小时值班制度，值班人员要坚守岗位，保持通讯畅通。遇有重大突发事件，要在30分钟内电话报告、1小时内书面报告区政府总值班室。",
          "三、及时报送信息",
          "请各单位于12月20日前将节日期间值班安排表报区政府办公室（秘书科），联系电话：020-12345678。",
        ].join("\n"),
        attachmentNotes: ["2027年元旦春节期间值班安排表"],
        ccRecipients: ["区委办公室", "区人大常委会办公室", "区政协办公室"],
        printingOrg: "云溪区人民政府办公室",
        recipients,
      });
      const submitted = await submitDocument(ctx, engine, doc.id, {
        reviewer: reviewerName,
        signer: "leader",
      });
      return submitted;
    });
    await runJobs();
    await complete(sent.instanceId!, "review", reviewerName, { approved: true, opinion: "文字已核，同意。" });
    await complete(sent.instanceId!, "signOff", "leader", { approved: true, opinion: "同意印发。" });
    await complete(sent.instanceId!, "seal", "officer", {});

    // The notice's discussion room (讨论), with what the colleagues said about it.
    await db.transaction(async (tx) => {
      const members = [actor(reviewerName), actor("leader")].flatMap((a) => (a ? [a.id] : []));
      const room = await openLinkedRoom(ctxOf(tx, actor("officer")), {
        type: "document",
        id: sent.id,
        title: sent.title,
        memberIds: members,
      });
      const lines: [string, string][] = [
        ["officer", "元旦春节值班通知已印发，请大家关注各单位值班安排表的报送情况。"],
        [reviewerName, "收到，我来汇总各单位报来的值班表，20日前报领导。"],
        ["leader", "节日期间严格落实24小时值班和领导带班，重要情况第一时间报告。"],
      ];
      for (const [i, [who, text]] of lines.entries()) {
        await sendMessage(ctxOf(tx, actor(who)), room.id, { text, clientMessageId: `demo-notice-${i}` });
      }
    });

    // A draft the leader is asked to review (核稿) — what the phone demo approves in a few taps.
    await db.transaction(async (tx) => {
      const ctx = ctxOf(tx, actor("officer"));
      const doc = await createDocument(ctx, {
        title: "关于开展2026年度政务服务“好差评”工作情况的报告",
        docType: "报告",
        mainRecipients: ["云溪区人民政府"],
        body: "区人民政府：\n按照《关于建立政务服务“好差评”制度提高政务服务水平的意见》要求，我办组织全区各政务服务窗口开展“好差评”工作，现将有关情况报告如下。\n一、总体情况\n全年共收到评价12.6万条，好评率99.2%，差评均已在1个工作日内回访整改。\n二、下一步工作\n进一步完善差评核实、整改和反馈机制，推动“好差评”结果运用。\n特此报告。",
      });
      await submitDocument(ctx, engine, doc.id, { reviewer: "leader", signer: "leader" });
    });
    await db.transaction(async (tx) => {
      await createDocument(ctxOf(tx, actor("officer")), {
        title: "关于召开全区数字政府建设推进会的通知",
        docType: "通知",
        body: "各有关单位：\n经区政府同意，定于12月10日（星期四）上午9:30在区政府三楼会议室召开全区数字政府建设推进会。请各单位主要负责同志准时参加。",
        mainRecipients: ["区政府各部门"],
      });
    });
  }

  // 督办: one overdue (red), one due tomorrow (yellow), one on track (green), one closed.
  const leader = actor("leader");
  const market = bureaus.get("云市监");
  const data = bureaus.get("云政数");
  const civil = bureaus.get("云民");
  const ops = bureaus.get("云城运");
  if (leader && market && data && civil && ops) {
    const calendar = platform.calendar.current;
    const now = platform.clock.now().getTime();
    const past = (days: number): Clock => ({ now: () => new Date(now - days * DAY) });
    const items: [Clock, Parameters<typeof createSupervisionItem>[3]][] = [
      [
        past(10),
        {
          title: "落实区长批示：整治校园周边无证食品经营",
          description: "对全区中小学校园周边200米范围内无证食品经营开展专项整治，每周报送进展。",
          sourceType: "instruction",
          sourceRef: "区长批示〔2026〕37号",
          leadDepartmentId: market.id,
          coDepartmentIds: [ops.id],
          dueInWorkingDays: 5,
          reportEveryDays: 5,
          remindDays: 2,
        },
      ],
      [
        past(6),
        {
          title: "区政府常务会议议定事项：政务数据共享目录年底前全覆盖",
          description: "各部门政务数据资源目录编制完成率年底前达到100%。",
          sourceType: "meeting",
          sourceRef: "区政府第42次常务会议纪要",
          leadDepartmentId: data.id,
          coDepartmentIds: [civil.id],
          dueInWorkingDays: 5,
          remindDays: 2,
        },
      ],
      [
        past(1),
        {
          title: "做好困难群众冬季救助帮扶",
          description: "完成低保、特困人员冬季走访慰问和临时救助，建立台账。",
          sourceType: "document",
          leadDepartmentId: civil.id,
          dueInWorkingDays: 15,
          reportEveryDays: 5,
          remindDays: 3,
        },
      ],
    ];
    for (const [clock, input] of items) {
      await db.transaction((tx) =>
        createSupervisionItem(ctxOf(tx, leader, clock), calendar, notifyByNotices, input),
      );
    }
    const closedOfficer = (
      await rawQuery<{ username: string }>(
        db,
        `select u.username from identity.users u join identity.departments d on d.id = u.department_id
         where d.path like $1 and 'officer' = any(u.roles) order by u.username limit 1`,
        [`${ops.path}%`],
      )
    )[0]?.username;
    if (closedOfficer) {
      const done = await db.transaction((tx) =>
        createSupervisionItem(ctxOf(tx, leader, past(3)), calendar, notifyByNotices, {
          title: "暴雨后积水点排查",
          description: "对全区易涝点开展排查并报送整改清单。",
          sourceType: "case",
          sourceRef: "CG-2026-004512",
          leadDepartmentId: ops.id,
          dueInWorkingDays: 3,
        }),
      );
      const officer = (await loadActors(db, { usernames: [closedOfficer] })).get(closedOfficer) ?? null;
      await db.transaction((tx) =>
        reportSupervisionProgress(ctxOf(tx, officer, past(1)), calendar, notifyByNotices, done.id, {
          progress: 100,
          text: "已排查易涝点23处，完成整改21处，2处纳入明年改造计划。",
          completes: true,
        }),
      );
    }
  }

  await db.transaction((tx) =>
    createNotice(ctxOf(tx, actor("admin")), {
      recipientIds: "district",
      kind: "announcement",
      title: "关于2027年元旦放假安排的通知",
      body: "根据国务院办公厅通知精神，2027年元旦放假安排如下：1月1日（星期五）至3日（星期日）放假调休，共3天。请各单位妥善安排值班和安全保卫等工作。",
    }),
  );
  await runJobs();
}
