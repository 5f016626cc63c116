import { SearchOutlined } from "@ant-design/icons";
import { Alert, Avatar, Checkbox, Empty, Input, Modal, Segmented, Spin, Tag, TreeSelect } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useMe } from "../../../shared/auth";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { type ChatRoom, chatApi, type DirectoryStaff } from "./chatApi";
import { chatErrorMessage, initialOf } from "./chatFormat";

type Kind = "direct" | "group";

/**
 * The org directory (通讯录) as a picker: a department, or a name, lists its staff; a direct chat takes
 * one colleague, a group or "add people" several.
 */
export function NewChatModal({
  open,
  mode,
  roomId,
  existingIds = [],
  onClose,
  onDone,
}: {
  open: boolean;
  mode: "new" | "add";
  /** The room people are added to (mode "add"). */
  roomId?: string;
  existingIds?: string[];
  onClose: () => void;
  onDone: (room: ChatRoom) => void;
}) {
  const t = useT();
  const me = useMe();
  const [kind, setKind] = useState<Kind>("direct");
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setKind("direct");
    setSelected(new Map());
    setName("");
    setQ("");
    setQuery("");
    setError(null);
  }, [open]);
  // The list follows typing after a short pause.
  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(q.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [q]);

  const departments = useRequest(
    (signal) => (open ? chatApi.departments(signal) : Promise.resolve(undefined)),
    [open],
  );
  const staff = useRequest(
    (signal) =>
      // A name is looked for in the whole organisation; without one, the chosen department is listed.
      open && (departmentId || query)
        ? chatApi.staff(query ? { q: query } : { departmentId: departmentId! }, signal)
        : Promise.resolve({ items: [] as DirectoryStaff[] }),
    [open, departmentId, query],
  );
  // Colleagues of one's own department first.
  useEffect(() => {
    if (open) setDepartmentId((current) => current ?? me.department?.id);
  }, [open, me.department?.id]);

  const tree = useMemo(
    () =>
      (departments.data?.items ?? []).map((d) => ({
        id: d.id,
        pId: d.parentId ?? 0,
        value: d.id,
        title: d.staffCount > 0 ? `${d.name}（${d.staffCount}）` : d.name,
      })),
    [departments.data],
  );

  const single = mode === "new" && kind === "direct";
  const toggle = (person: DirectoryStaff, checked: boolean) =>
    setSelected((current) => {
      const next = single ? new Map<string, string>() : new Map(current);
      if (checked) next.set(person.id, person.name);
      else next.delete(person.id);
      return next;
    });

  const submit = async () => {
    const ids = [...selected.keys()];
    if (single ? ids.length !== 1 : ids.length === 0) {
      setError(t(single ? "chat.pickOne" : "chat.pickSome"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const room =
        mode === "add" && roomId
          ? await chatApi.addMembers(roomId, ids)
          : await chatApi.createRoom({
              kind,
              memberIds: ids,
              ...(kind === "group" && name.trim() ? { name: name.trim() } : {}),
            });
      onDone(room);
    } catch (e) {
      setError(chatErrorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const people = (staff.data?.items ?? []).filter((p) => p.id !== me.id);
  return (
    <Modal
      open={open}
      title={t(mode === "add" ? "chat.addMembers" : "chat.newTitle")}
      okText={t(mode === "add" ? "chat.add" : "chat.start")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ "data-testid": "chat-new-submit" } as Record<string, string>}
      data-testid="chat-new-modal"
    >
      {mode === "new" && (
        <Segmented<Kind>
          block
          value={kind}
          onChange={(v) => {
            setKind(v);
            setSelected(new Map());
          }}
          options={[
            { value: "direct", label: <span data-testid="chat-new-kind-direct">{t("chat.newDirect")}</span> },
            { value: "group", label: <span data-testid="chat-new-kind-group">{t("chat.newGroup")}</span> },
          ]}
          className="ff-chat-picker-kind"
        />
      )}
      {mode === "new" && kind === "group" && (
        <div className="ff-chat-picker-row ff-chat-picker-name">
          <label htmlFor="ff-chat-group-name">{t("chat.groupName")}</label>
          <Input
            id="ff-chat-group-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={50}
            placeholder={t("chat.groupNamePlaceholder")}
            data-testid="chat-new-name"
          />
        </div>
      )}
      <div className="ff-chat-picker-row ff-chat-picker-filters">
        <TreeSelect
          treeDataSimpleMode
          treeData={tree}
          value={departmentId}
          onChange={(v: string | undefined) => setDepartmentId(v)}
          allowClear
          showSearch={{ treeNodeFilterProp: "title" }}
          loading={departments.loading}
          placeholder={t("chat.directory")}
          treeDefaultExpandAll
          className="ff-chat-picker-dept"
          data-testid="chat-new-dept"
        />
        <Input
          allowClear
          prefix={<SearchOutlined />}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t("chat.staffSearch")}
          className="ff-chat-picker-search"
          data-testid="chat-new-search"
        />
      </div>
      {selected.size > 0 && (
        <div className="ff-chat-picker-selected">
          <span className="ff-muted ff-small">{t("chat.selected", { count: selected.size })}</span>
          {[...selected].map(([id, personName]) => (
            <Tag key={id} closable onClose={() => toggle({ id, name: personName } as DirectoryStaff, false)}>
              {personName}
            </Tag>
          ))}
        </div>
      )}
      <Spin spinning={staff.loading}>
        <div className="ff-chat-picker-list" data-testid="chat-new-staff">
          {!departmentId && !query ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("chat.pickDepartment")} />
          ) : people.length === 0 && !staff.loading ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("chat.noStaff")} />
          ) : (
            people.map((person) => {
              const already = existingIds.includes(person.id);
              return (
                <div key={person.id} data-testid={`chat-new-staff-${person.id}`}>
                  <Checkbox
                    className="ff-chat-picker-person"
                    checked={already || selected.has(person.id)}
                    disabled={already}
                    onChange={(e) => toggle(person, e.target.checked)}
                  >
                    <Avatar size={32} className="ff-chat-avatar">
                      {initialOf(person.name)}
                    </Avatar>
                    <span className="ff-chat-picker-person-text">
                      <strong>{person.name}</strong>
                      <span className="ff-muted ff-small">
                        {[person.departmentName, person.position].filter(Boolean).join(" · ")}
                      </span>
                    </span>
                    <span className={person.online ? "ff-chat-dot ff-chat-dot-online" : "ff-chat-dot"} />
                  </Checkbox>
                </div>
              );
            })
          )}
        </div>
      </Spin>
      {error && <Alert type="error" showIcon title={error} data-testid="chat-new-error" />}
    </Modal>
  );
}
