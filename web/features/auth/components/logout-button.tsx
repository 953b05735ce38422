import { useNavigate } from 'react-router';
import { useLogout } from '../api/logout';

/** The header's "Log out" on every signed-in screen: ends the session, then goes to /login. */
export function LogoutButton() {
  const navigate = useNavigate();
  const logout = useLogout();
  return (
    <button
      type="button"
      className="btn btn-ghost"
      disabled={logout.isPending}
      onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
    >
      Log out
    </button>
  );
}
