import { Button, Form, Input, Modal, Radio, Switch } from "antd";
import { useState } from "react";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { SecretOnce } from "../../shared/components/SecretOnce";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { type Translate, useT } from "../../shared/i18n";
import {
  registerTwinClient,
  TWIN_CLIENT_KINDS,
  type TwinClient,
  type TwinClientKind,
  type TwinClientWithSecret,
  updateTwinClient,
} from "../../shared/twinClients";
import { TwinEntityPicker } from "./TwinEntityPicker";

interface Values {
  name: string;
  kind: TwinClientKind;
  entityIds?: string[];
  mayWrite?: boolean;
}

/** The name, and what the kind asks for: a device's entities, or whether a system may write. */
function ClientFields({ kind, t }: { kind: TwinClientKind; t: Translate }) {
  return (
    <>
      <Form.Item
        name="name"
        label={t("twinClients.name")}
        extra={t("twinClients.nameHint")}
        rules={[{ required: true, whitespace: true, message: t("field.required") }]}
      >
        <Input maxLength={100} data-testid="twin-client-name" />
      </Form.Item>
      {kind === "device" ? (
        <Form.Item
          name="entityIds"
          label={t("twinClients.entities")}
          extra={t("twinClients.kindHint.device")}
          rules={[{ required: true, type: "array", min: 1, message: t("twinClients.entitiesRequired") }]}
        >
          <TwinEntityPicker />
        </Form.Item>
      ) : (
        <Form.Item
          name="mayWrite"
          label={t("twinClients.mayWrite")}
          extra={t("twinClients.kindHint.system")}
          valuePropName="checked"
        >
          <Switch data-testid="twin-client-may-write" />
        </Form.Item>
      )}
    </>
  );
}

function secretRows(client: TwinClientWithSecret, t: Translate) {
  return [
    { label: t("twinClients.name"), value: client.name, copyable: false },
    { label: t("twinClients.clientId"), value: client.id, testId: "twin-client-created-id" },
    { label: t("twinClients.secret"), value: client.secret, testId: "twin-client-secret" },
  ];
}

/**
 * 登记设备或系统: the answer carries the secret, shown here once. Closing the dialog forgets it: the
 * platform keeps only a hash.
 */
export function RegisterTwinClientModal({
  open,
  onClose,
  onRegistered,
}: {
  open: boolean;
  onClose: () => void;
  onRegistered: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const [created, setCreated] = useState<TwinClientWithSecret | null>(null);
  const kind = Form.useWatch("kind", form) ?? "device";
  const close = () => {
    setCreated(null);
    onClose();
  };
  const submit = (values: Values) =>
    run(async () => {
      setCreated(
        await registerTwinClient({
          name: values.name.trim(),
          kind: values.kind,
          ...(values.kind === "device"
            ? { entityIds: values.entityIds ?? [] }
            : { mayWrite: values.mayWrite ?? false }),
        }),
      );
      onRegistered();
    });
  return (
    <Modal
      open={open}
      title={t("twinClients.register")}
      onCancel={close}
      destroyOnHidden
      maskClosable={!created}
      keyboard={!created}
      width={640}
      footer={
        created ? (
          <Button type="primary" onClick={close} data-testid="twin-client-secret-done">
            {t("twinClients.secretSaved")}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t("common.cancel")}</Button>
            <Button
              type="primary"
              loading={busy}
              onClick={() => form.submit()}
              data-testid="twin-client-register-submit"
            >
              {t("twinClients.register")}
            </Button>
          </>
        )
      }
    >
      {created ? (
        <SecretOnce warning={t("twinClients.secretOnce")} rows={secretRows(created, t)} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: "device", entityIds: [], mayWrite: false }}
          onFinish={(v) => void submit(v)}
          data-testid="twin-client-register-form"
        >
          <Form.Item
            name="kind"
            label={t("twinClients.kind")}
            rules={[{ required: true, message: t("field.required") }]}
          >
            <Radio.Group
              optionType="button"
              options={TWIN_CLIENT_KINDS.map((k) => ({ value: k, label: t(`twinClients.kind.${k}`) }))}
              data-testid="twin-client-kind"
            />
          </Form.Item>
          <ClientFields kind={kind} t={t} />
          <ProblemAlert error={error} extra={unmatched} testId="twin-client-register-error" />
        </Form>
      )}
    </Modal>
  );
}

/** Renames a client, rebinds a device's entities, or allows or forbids a system to write. */
export function EditTwinClientModal({
  client,
  onClose,
  onSaved,
}: {
  client: TwinClient | null;
  onClose: () => void;
  onSaved: (client: TwinClient) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const { busy, error, unmatched, run } = useFormSubmit(form, client !== null);
  const submit = (values: Values) =>
    run(async () => {
      if (!client) return;
      onSaved(
        await updateTwinClient(client.id, {
          name: values.name.trim(),
          ...(client.kind === "device"
            ? { entityIds: values.entityIds ?? [] }
            : { mayWrite: values.mayWrite ?? false }),
        }),
      );
    });
  return (
    <Modal
      open={client !== null}
      title={client ? t("twinClients.editTitle", { name: client.name }) : ""}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      width={640}
      okButtonProps={{ "data-testid": "twin-client-edit-submit" }}
    >
      {client && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ name: client.name, entityIds: client.entityIds, mayWrite: client.mayWrite }}
          onFinish={(v) => void submit(v)}
          data-testid="twin-client-edit-form"
        >
          <ClientFields kind={client.kind} t={t} />
          <ProblemAlert error={error} extra={unmatched} testId="twin-client-edit-error" />
        </Form>
      )}
    </Modal>
  );
}

/** A rotated secret, shown this once. */
export function NewSecretModal({
  client,
  onClose,
}: {
  client: TwinClientWithSecret | null;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal
      open={client !== null}
      title={client ? t("twinClients.rotatedTitle", { name: client.name }) : ""}
      onCancel={onClose}
      maskClosable={false}
      keyboard={false}
      width={640}
      footer={
        <Button type="primary" onClick={onClose} data-testid="twin-client-secret-done">
          {t("twinClients.secretSaved")}
        </Button>
      }
    >
      {client && <SecretOnce warning={t("twinClients.secretOnce")} rows={secretRows(client, t)} />}
    </Modal>
  );
}
