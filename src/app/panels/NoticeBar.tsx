import { useEffect, useState } from 'react';
import { useSession } from '../session-context';

export function NoticeBar() {
  const notice = useSession((s) => s.notice);
  const [visible, setVisible] = useState<number | null>(null);
  useEffect(() => {
    if (!notice) return;
    setVisible(notice.id);
    const timer = setTimeout(() => setVisible(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice || visible !== notice.id) return null;
  return (
    <div className="notice" role="status" data-testid="notice">
      {notice.text}
    </div>
  );
}
