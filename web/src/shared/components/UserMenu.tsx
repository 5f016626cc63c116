import { LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { App, Avatar, Button, Dropdown } from "antd";
import { useNavigate } from "react-router";
import { useAuth, useMe } from "../auth";
import { errorMessage } from "../errors";
import { useT } from "../i18n";

export function UserMenu({ compact = false }: { compact?: boolean }) {
  const me = useMe();
  const { signOut } = useAuth();
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();

  const logout = async () => {
    try {
      await signOut();
      navigate("/login", { replace: true });
    } catch (error) {
      message.error(errorMessage(error, t));
    }
  };

  return (
    <Dropdown
      trigger={["click"]}
      placement="bottomRight"
      menu={{
        items: [
          {
            key: "who",
            disabled: true,
            label: (
              <div className="ff-user-card">
                <div className="ff-user-card-name">{me.displayName}</div>
                <div className="ff-user-card-meta">{me.department?.name ?? t(`userKind.${me.kind}`)}</div>
                <div className="ff-user-card-meta">{me.username}</div>
              </div>
            ),
          },
          { type: "divider" },
          {
            key: "logout",
            icon: <LogoutOutlined />,
            label: <span data-testid="logout">{t("header.logout")}</span>,
            onClick: () => void logout(),
          },
        ],
      }}
    >
      <Button type="text" className="ff-header-button ff-user-button" data-testid="user-menu">
        <Avatar size={28} icon={<UserOutlined />} className="ff-avatar" />
        {!compact && <span className="ff-user-name">{me.displayName}</span>}
      </Button>
    </Dropdown>
  );
}
